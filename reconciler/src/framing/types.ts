import type { CliMode } from "../fabric/types.ts";

/** Which framing a switch is sent CLI in, and how the reconciler knows (plan and run JSON: `devices[].framing`). */
export interface DeviceFraming {
  mode: CliMode;
  /**
   * configured: the fabric's `cliMode` names it; detected: probed on this run; remembered: probed on an
   * earlier run, same XMPP resource since; assumed: the probe got no clear answer (multiline, the old default).
   */
  source: "configured" | "detected" | "remembered" | "assumed";
  /** Why it is assumed (the probe's failure), for the plan. */
  note?: string;
}

/** What the state dir keeps per switch: the framing and the full JID it was detected on. */
export interface FramingRecord {
  mode: CliMode;
  /** The switch's XMPP resource when probed: a new resource is a new client (a reload, an upgrade). */
  resource: string | undefined;
  detectedAt: string;
}

/** The per-switch memory of detected framings (a file in the fabric's state dir). */
export interface FramingMemory {
  read(): Promise<Record<string, FramingRecord>>;
  write(records: Record<string, FramingRecord>): Promise<void>;
}

/** What detection needs from the transport. */
export interface FramingChannel {
  sendScript(
    device: string,
    lines: string[],
    opts?: { timeoutMs?: number; framing?: CliMode },
  ): Promise<string>;
  /** The resource of the switch's current session, when presence or a reply told it. */
  resourceOf(device: string): string | undefined;
  /** From now on, send this switch's scripts (and its rooms', see plan/) in this framing. */
  useFraming(device: string, mode: CliMode): void;
}

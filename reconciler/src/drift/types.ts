import type { Revision } from "../plan/types.ts";
import type { SectionDiff } from "./scope-diffs.ts";

export interface DeviceDrift {
  device: string;
  status: "in-sync" | "drifted" | "unreachable";
  /** Unified diff of the managed scope, intended → live, secrets redacted. */
  diff?: string;
  /** The same difference per managed section (only sections that differ). */
  sections?: SectionDiff[];
  /** The remediation that would fix it (secrets redacted). */
  remediation?: string[];
  /** When the drift was first seen (from the journal), ISO time. */
  since?: string;
  error?: string;
}

export interface DriftReport {
  kind: "drift";
  runId: string;
  fabric: string;
  revision: Revision;
  checkedAt: string;
  /** The plan's managed sections and membership, for the status page. */
  managed?: string[];
  membership?: Record<string, string[]>;
  devices: DeviceDrift[];
  /** Set when --heal ran: the rollout that fixed the drift. */
  healed?: import("../rollout/types.ts").RolloutResult;
  /**
   * Set when --heal was asked and allowed by selfHeal but could not run: a freeze window, the lock, or a
   * PR's applied-but-unmerged change holding the fabric (the service's hold).
   */
  healRefused?: { code: "frozen" | "locked" | "held"; message: string };
  /** The PR whose applied-but-unmerged change holds the fabric: its change shows here as drift. */
  held?: HeldBy;
}

/** A PR holding the fabric, as a drift report names it. */
export interface HeldBy {
  pullNumber: number;
  sha: string;
  by: string;
  since: string;
}

/** Why the drift report shows a change git does not have (the same sentence in every rendering). */
export function heldSentence(held: HeldBy): string {
  return `The fabric is held by #${held.pullNumber} (${held.sha.slice(0, 7)}, applied by @${held.by} at ${held.since}): its change is on the switches but not merged, so it shows as drift until #${held.pullNumber} is merged or closed.`;
}

export function driftedDevices(report: DriftReport): string[] {
  return report.devices.filter((d) => d.status === "drifted").map((d) => d.device);
}

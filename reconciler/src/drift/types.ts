import type { Revision } from "../plan/types.ts";
import type { SectionDiff } from "./section-diffs.ts";

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
  /** Set when --heal was asked and allowed by selfHeal but could not run: a freeze window or the lock. */
  healRefused?: { code: "frozen" | "locked"; message: string };
}

export function driftedDevices(report: DriftReport): string[] {
  return report.devices.filter((d) => d.status === "drifted").map((d) => d.device);
}

import type { JournalRecord, RunKind } from "./types.ts";

export interface RunHistoryEntry {
  runId: string;
  kind: RunKind;
  trigger: string;
  fabric: string;
  startedAt: string;
  finishedAt?: string;
  /** The finished record's outcome; "running" while its process lives; "interrupted" otherwise. */
  outcome: string;
  revision?: string;
  message?: string;
  devices?: JournalRecord["devices"];
  durationMs?: number;
}

/** Pairs started/finished records, newest first. A run whose process died before finishing is interrupted. */
export function runHistory(
  records: JournalRecord[],
  isProcessAlive: (pid: number) => boolean,
): RunHistoryEntry[] {
  const finished = new Map(records.filter((r) => r.event === "finished").map((r) => [r.runId, r]));
  return records
    .filter((r) => r.event === "started")
    .map((start): RunHistoryEntry => {
      const end = finished.get(start.runId);
      return {
        runId: start.runId,
        kind: start.kind,
        trigger: start.trigger,
        fabric: end?.fabric || start.fabric,
        startedAt: start.at,
        finishedAt: end?.at,
        outcome: end?.outcome ?? (isProcessAlive(start.pid) ? "running" : "interrupted"),
        revision: (end?.revision ?? start.revision)?.sha,
        message: end?.message,
        devices: end?.devices,
        durationMs: end?.durationMs,
      };
    })
    .reverse();
}

export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Since when each switch has drifted without a break: walking finished drift checks from the newest,
 * a switch counts while every check saw it drifted. A checkpoint (the start of a journal segment) says
 * what the checks before it said.
 */
export function driftingSince(records: JournalRecord[]): Map<string, string> {
  // A check's time is when it started (what its report says), not when its record was written.
  const startedAt = new Map(records.filter((r) => r.event === "started").map((r) => [r.runId, r.at]));
  const checks = records
    .filter((r) => (r.kind === "drift" && r.event === "finished" && r.devices) || r.event === "checkpoint")
    .reverse();
  const since = new Map<string, string>();
  const broken = new Set<string>();
  for (const check of checks) {
    if (check.event === "checkpoint") {
      for (const [device, at] of Object.entries(check.driftingSince ?? {}))
        if (!broken.has(device)) since.set(device, at);
      break; // it sums up everything before it
    }
    for (const { device, outcome } of check.devices!) {
      if (broken.has(device)) continue;
      if (outcome === "drifted") since.set(device, startedAt.get(check.runId) ?? check.at);
      else broken.add(device);
    }
  }
  return since;
}

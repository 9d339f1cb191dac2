import { driftingSince } from "./history.ts";
import type { JournalRecord } from "./types.ts";

/**
 * What a new journal segment starts with (file-journal.ts): a checkpoint record summing up the segments
 * before it — since when each switch drifts — followed by every record of the runs not finished yet
 * (an apply cut short must stay findable, journaled-steps.ts). Finished runs stay behind, in the
 * segment they were written to. Pure.
 */
export function checkpointOf(
  records: JournalRecord[],
  at: string,
  carriedFrom: { segment: string; bytes: number },
): JournalRecord[] {
  const finished = new Set(records.filter((r) => r.event === "finished").map((r) => r.runId));
  const open = records.filter((r) => r.event !== "checkpoint" && !finished.has(r.runId));
  const checkpoint: JournalRecord = {
    runId: "checkpoint",
    // what it carries is drift state; no run reads it as one (it is neither started nor finished)
    kind: "drift",
    event: "checkpoint",
    at,
    fabric: "",
    trigger: "cli",
    pid: process.pid,
    driftingSince: Object.fromEntries(driftingSince(records)),
    carried: open.length,
    carriedFrom,
  };
  return [checkpoint, ...open];
}

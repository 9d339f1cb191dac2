import type { Journal, JournalRecord, RunKind } from "../journal/index.ts";
import type { RunRequest } from "./types.ts";

export type RecordFields = (fields: Partial<JournalRecord>) => void;

/**
 * Every run writes `started` first and, in a `finally`, `finished` with what the body recorded: the
 * journal stays truthful even when the body throws (outcome "crashed") or the process dies (no
 * `finished`: the history shows the run as interrupted).
 */
export async function withRun<T extends { ok: boolean }>(
  journal: Journal,
  newRunId: () => string,
  kind: RunKind,
  request: RunRequest,
  body: (runId: string, record: RecordFields, startedAt: Date) => Promise<T>,
): Promise<T> {
  const runId = request.runId ?? newRunId();
  const started = new Date();
  const finish: Partial<JournalRecord> = {};
  const base = { runId, kind, trigger: request.trigger, pid: process.pid };
  await journal.append({ ...base, event: "started", at: started.toISOString(), fabric: "" });
  let result: T | undefined;
  try {
    result = await body(runId, (fields) => Object.assign(finish, fields), started);
    return result;
  } finally {
    await journal.append({
      ...base,
      event: "finished",
      at: new Date().toISOString(),
      fabric: finish.fabric ?? "",
      outcome: finish.outcome ?? (result === undefined ? "crashed" : result.ok ? "succeeded" : "refused"),
      durationMs: Date.now() - started.getTime(),
      ...finish,
    });
  }
}

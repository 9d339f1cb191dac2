import { type Journal, type JournalRecord, JournalWriteError, type RunKind } from "../journal/index.ts";
import { ExitCode } from "./exit-codes.ts";
import { type RunRefusal, type RunRequest, refusal } from "./types.ts";

export type RecordFields = (fields: Partial<JournalRecord>) => void;

/**
 * Every run writes `started` first and, in a `finally`, `finished` with what the body recorded: the
 * journal stays truthful even when the body throws (outcome "crashed") or the process dies (no
 * `finished`: the history shows the run as interrupted). A journal that cannot be written is a named
 * refusal before anything starts, and after a run it is reported with the run's result, never in its place.
 */
export async function withRun<T extends { ok: boolean; journalError?: string }>(
  journal: Journal,
  newRunId: () => string,
  kind: RunKind,
  request: RunRequest,
  body: (runId: string, record: RecordFields, startedAt: Date) => Promise<T>,
): Promise<T | RunRefusal> {
  const runId = request.runId ?? newRunId();
  const started = new Date();
  const finish: Partial<JournalRecord> = {};
  const base = { runId, kind, trigger: request.trigger, pid: process.pid };
  try {
    await journal.append({ ...base, event: "started", at: started.toISOString(), fabric: "" });
  } catch (error) {
    if (error instanceof JournalWriteError) return journalRefusal(error);
    throw error;
  }
  let result: T | RunRefusal | undefined;
  let crash: { error: unknown } | undefined;
  try {
    result = await body(runId, (fields) => Object.assign(finish, fields), started);
  } catch (error) {
    // A step record failed outside the rollout (recovery): nothing more ran; anything else is a crash.
    if (error instanceof JournalWriteError) result = journalRefusal(error);
    else crash = { error };
  }
  try {
    await journal.append({
      ...base,
      event: "finished",
      at: new Date().toISOString(),
      fabric: finish.fabric ?? "",
      outcome: finish.outcome ?? (result === undefined ? "crashed" : result.ok ? "succeeded" : "refused"),
      durationMs: Date.now() - started.getTime(),
      ...finish,
    });
  } catch (error) {
    if (!(error instanceof JournalWriteError) || result === undefined) crash ??= { error };
    else if (result.ok) result = { ...result, journalError: error.message };
    else {
      const refused = result as RunRefusal;
      if (!refused.journalError)
        result = { ...refused, message: `${refused.message}; ${error.message}`, journalError: error.message };
    }
  }
  if (crash || result === undefined) throw crash?.error;
  return result;
}

function journalRefusal(error: JournalWriteError): RunRefusal {
  return {
    ...refusal("journal-unwritable", ExitCode.applyFailed, error.message),
    journalError: error.message,
  };
}

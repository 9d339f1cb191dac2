import {
  interruptedApplies,
  isPendingStep,
  isProcessAlive,
  type Journal,
  runHistory,
} from "../journal/index.ts";
import { type Lock, type LockHandle, LockHeldError, LockUnavailableError } from "../lock/index.ts";
import { ExitCode } from "./exit-codes.ts";
import { type RunRefusal, type RunRequest, refusal } from "./types.ts";

/**
 * One changing run per fabric (DESIGN §7): takes the fabric's lock (by fabric name, not checkout) or refuses, names the runs whose process died
 * as interrupted in the journal, runs `body`, and always releases.
 */
export async function underLock<T>(
  lock: Lock,
  fabric: string,
  journal: Journal,
  runId: string,
  body: () => Promise<T>,
): Promise<T | RunRefusal> {
  let handle: LockHandle;
  try {
    handle = await lock.acquire(fabric, runId);
  } catch (error) {
    if (error instanceof LockHeldError) return refusal("locked", ExitCode.applyFailed, error.message);
    if (error instanceof LockUnavailableError)
      return refusal("lock-unavailable", ExitCode.applyFailed, error.message);
    throw error;
  }
  try {
    await closeInterruptedRuns(journal, runId);
    return await body();
  } finally {
    await handle.release();
  }
}

/**
 * Closes the runs whose process died. An apply that left a switch mid-way (journaled steps) stays
 * open for the next apply, which asks the switch and finishes it (journaled-steps.ts).
 */
async function closeInterruptedRuns(journal: Journal, currentRunId: string): Promise<void> {
  const records = await journal.read();
  const midWay = new Set(
    interruptedApplies(records, isProcessAlive)
      .filter((run) => run.devices.some((d) => isPendingStep(d.step)))
      .map((run) => run.runId),
  );
  for (const run of runHistory(records, isProcessAlive)) {
    if (run.outcome !== "interrupted" || run.runId === currentRunId || midWay.has(run.runId)) continue;
    await journal.append({
      runId: run.runId,
      kind: run.kind,
      event: "finished",
      at: new Date().toISOString(),
      fabric: run.fabric,
      trigger: run.trigger as RunRequest["trigger"],
      pid: process.pid,
      outcome: "interrupted",
      message: `its process died before it finished; found by run ${currentRunId}. Commit timers rolled back anything it had not confirmed`,
    });
  }
}

import {
  interruptedApplies,
  isPendingStep,
  isProcessAlive,
  type Journal,
  type JournalRecord,
} from "../journal/index.ts";
import {
  type RecordStep,
  type RecoveryNote,
  recoverInterrupted,
  type SwitchChannel,
} from "../rollout/index.ts";

type RunBase = Pick<JournalRecord, "runId" | "fabric" | "trigger">;

/** The rollout's steps as journal records, each written (and flushed) before the rollout goes on. */
export function stepRecorder(journal: Journal, run: RunBase, session: string): RecordStep {
  return (step, devices) =>
    journal.append({
      ...run,
      kind: "apply",
      event: "step",
      at: new Date().toISOString(),
      pid: process.pid,
      session,
      devices: devices.map((device) => ({ device, outcome: step })),
    });
}

/**
 * Applies that died with a switch mid-way (staged, timer running, confirmed but not saved): finish
 * each from the switch's answer now, and close the dead run in the journal with what was found and
 * done. Runs under the fabric lock, before observing, so the plan starts from the finished state.
 */
export async function finishInterruptedApplies(
  journal: Journal,
  channel: SwitchChannel,
  currentRunId: string,
  timeoutMs: number,
): Promise<RecoveryNote[]> {
  const runs = interruptedApplies(await journal.read(), isProcessAlive).filter(
    (run) => run.runId !== currentRunId && run.devices.some((d) => isPendingStep(d.step)),
  );
  if (runs.length === 0) return [];
  const notes = await recoverInterrupted(channel, runs, { timeoutMs });
  for (const run of runs) {
    const mine = notes.filter((n) => n.runId === run.runId);
    await journal.append({
      runId: run.runId,
      kind: "apply",
      event: "finished",
      at: new Date().toISOString(),
      fabric: run.fabric,
      trigger: run.trigger,
      pid: process.pid,
      outcome: "interrupted",
      message: `its process died before it finished; run ${currentRunId} found: ${mine.map((n) => n.message).join("; ") || "nothing left to do"}`,
      devices: run.devices.map(({ device, step }) => ({
        device,
        outcome: step,
        ...(mine.find((n) => n.device === device)
          ? { reason: mine.find((n) => n.device === device)!.message }
          : {}),
      })),
    });
  }
  return notes;
}

import type { JournalRecord, SwitchStep } from "./types.ts";

/** An apply whose process died after some switch reached a step it must not be left in. */
export interface InterruptedApply {
  runId: string;
  fabric: string;
  trigger: JournalRecord["trigger"];
  /** The config session its steps happened in. */
  session: string;
  /** Each switch's last step, in the order the switches first appear. */
  devices: { device: string; step: SwitchStep }[];
}

/** Steps a switch must not be left in: a session open, a timer running, a change not saved. */
export function isPendingStep(step: SwitchStep): boolean {
  return step === "staged" || step === "timer-running" || step === "confirmed";
}

/**
 * Applies that started, wrote steps and never finished, whose process is gone: the journal's half of
 * the truth after a crash (the switches hold the other half).
 */
export function interruptedApplies(
  records: JournalRecord[],
  isProcessAlive: (pid: number) => boolean,
): InterruptedApply[] {
  const finished = new Set(records.filter((r) => r.event === "finished").map((r) => r.runId));
  const runs = new Map<string, InterruptedApply & { pid: number }>();
  for (const record of records) {
    if (record.kind !== "apply" || finished.has(record.runId)) continue;
    if (record.event === "started") {
      runs.set(record.runId, {
        runId: record.runId,
        fabric: record.fabric,
        trigger: record.trigger,
        session: "",
        devices: [],
        pid: record.pid,
      });
      continue;
    }
    const run = runs.get(record.runId);
    if (record.event !== "step" || !run) continue;
    if (record.fabric) run.fabric = record.fabric;
    if (record.session) run.session = record.session;
    for (const { device, outcome } of record.devices ?? []) {
      const known = run.devices.find((d) => d.device === device);
      if (known) known.step = outcome as SwitchStep;
      else run.devices.push({ device, step: outcome as SwitchStep });
    }
  }
  return [...runs.values()]
    .filter((run) => run.devices.length > 0 && !isProcessAlive(run.pid))
    .map(({ pid: _pid, ...run }) => run);
}

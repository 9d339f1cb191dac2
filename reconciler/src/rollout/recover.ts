/**
 * After a crash: finish what an interrupted apply left on its switches, from the journal's record of
 * each switch's last step and what the switch says now (`show configuration sessions`: the journal may
 * be one step behind the switch, never ahead). Confirmed but not saved: save it. Staged, or committed
 * with its timer running (never verified): abort the session, which drops a draft and rolls a pending
 * timer back at once (EOS would roll it back when the timer ends anyway).
 */
import type { InterruptedApply, SwitchStep } from "../journal/index.ts";
import type { SwitchChannel } from "./channel.ts";
import { abortScript, errorLines, listedSessionState, saveScript, sessionsScript } from "./eos-session.ts";

export interface RecoveryNote {
  /** The interrupted run. */
  runId: string;
  device: string;
  /** The switch's last step in that run's journal. */
  step: SwitchStep;
  action: "saved" | "save-failed" | "aborted" | "already-gone" | "unreachable";
  message: string;
}

export async function recoverInterrupted(
  channel: SwitchChannel,
  runs: InterruptedApply[],
  options: { timeoutMs: number },
): Promise<RecoveryNote[]> {
  const notes: RecoveryNote[] = [];
  for (const run of runs) {
    const pending = run.devices.filter(
      (d) => d.step === "staged" || d.step === "timer-running" || d.step === "confirmed",
    );
    const found = await Promise.all(
      pending.map(({ device, step }) => recoverOne(channel, run, device, step, options.timeoutMs)),
    );
    notes.push(...found);
  }
  return notes;
}

async function recoverOne(
  channel: SwitchChannel,
  run: InterruptedApply,
  device: string,
  step: SwitchStep,
  timeoutMs: number,
): Promise<RecoveryNote> {
  const note = (action: RecoveryNote["action"], message: string): RecoveryNote => ({
    runId: run.runId,
    device,
    step,
    action,
    message: `${device}: ${message} (run ${run.runId})`,
  });
  const ask = async (script: string[]): Promise<{ text: string } | { error: string }> => {
    try {
      const text = await channel.sendScript(device, script, { timeoutMs });
      const problems = errorLines(text);
      return problems.length > 0 ? { error: problems.join(" ") } : { text };
    } catch (error) {
      return { error: (error as Error).message };
    }
  };
  const save = async (what: string): Promise<RecoveryNote> => {
    const saved = await ask(saveScript());
    return "text" in saved
      ? note("saved", `${what}: saved now`)
      : note("save-failed", `${what}; saving failed (${saved.error}): run \`write memory\` on it`);
  };
  if (step === "confirmed") return save("confirmed but not saved");

  const listed = await ask(sessionsScript());
  if ("error" in listed)
    return note("unreachable", `${described(step, run.session)}; cannot ask it (${listed.error})`);
  const state = listedSessionState(listed.text, run.session);
  if (state === "committed") return save("confirmed (the journal had not recorded it) but not saved");
  if (state === "pending" || state === "committed-with-timer") {
    const aborted = await ask(abortScript(run.session));
    if ("error" in aborted)
      return note("unreachable", `${described(step, run.session)}; abort failed (${aborted.error})`);
    return note(
      "aborted",
      `${described(step, run.session)}: aborted now${state === "committed-with-timer" ? ", the change is rolled back" : ""}`,
    );
  }
  return note(
    "already-gone",
    step === "timer-running"
      ? `${described(step, run.session)}: its commit timer already rolled it back`
      : `${described(step, run.session)}: the session is gone, nothing is live`,
  );
}

function described(step: SwitchStep, session: string): string {
  return step === "timer-running"
    ? `committed with a timer in session ${session}, never confirmed`
    : `staged in session ${session}, never committed`;
}

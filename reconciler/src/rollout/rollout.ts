import type { ManagedScope, RolloutSettings } from "../fabric/types.ts";
import type { Plan } from "../plan/types.ts";
import { deniedScriptLines, type SafetyPolicy } from "../safety/index.ts";
import type { SwitchChannel } from "./channel.ts";
import { sessionNameFor } from "./eos-session.ts";
import { RolloutSlots } from "./slots.ts";
import { type RecordStep, StepJournal } from "./step-journal.ts";
import type { DeviceResult } from "./types.ts";
import { WaveRunner } from "./wave-runner.ts";

export type RolloutPhase = "staged" | "committed" | "verified" | "confirmed" | "failed" | "rolled-back";

export type RolloutEvent =
  | { type: "wave-start"; wave: number; devices: string[] }
  | { type: "device"; device: string; phase: RolloutPhase; detail?: string }
  | { type: "wave-end"; wave: number; ok: boolean };

export interface RolloutOptions {
  plan: Plan;
  channel: SwitchChannel;
  scope: ManagedScope;
  settings: RolloutSettings;
  runId: string;
  onEvent?: (event: RolloutEvent) => void;
  /** Pause between abort attempts (the XMPP session may be reconnecting). */
  abortRetryDelaysMs?: number[];
  /** The fabric's safety policy (its own deny rules too); default: the built-in one. */
  policy?: SafetyPolicy;
  /** Writes each switch's step (staged, timer-running, confirmed, saved, rolled-back) as it happens. */
  recordStep?: RecordStep;
  /**
   * The running config each switch's plan was made from: what a session diff is fitted onto. A switch
   * missing here is verified by reading its running config back.
   */
  running?: ReadonlyMap<string, string>;
}

export interface RolloutExecution {
  devices: DeviceResult[];
  messages: number;
  ok: boolean;
  message?: string;
  /** The journal could not be written: the rollout stopped changing switches at that point. */
  journalError?: Error;
}

/**
 * Applies a plan wave by wave (DESIGN §7). Per wave: stage every batch in one config session per
 * switch, commit with a timer, verify each switch's running config against its prediction, then
 * confirm. Any error or mismatch aborts the whole wave (pending timers roll back at once) and stops
 * the rollout unless `stopOnFailure` is off. The result says, per switch, what really happened.
 */
export async function executeRollout(options: RolloutOptions): Promise<RolloutExecution> {
  const { plan, settings } = options;
  const session = sessionNameFor(options.runId);
  const results = new Map<string, DeviceResult>();
  const waveOf = new Map(plan.waves.flatMap((wave, index) => wave.map((d) => [d, index] as const)));
  for (const device of plan.devices) {
    const wave = waveOf.get(device.device) ?? -1;
    if (device.status === "in-sync")
      results.set(device.device, { device: device.device, outcome: "in-sync", wave });
    else
      results.set(device.device, {
        device: device.device,
        outcome: "untouched",
        wave,
        reason: device.error ? `${device.error.code}: ${device.error.message}` : "rollout did not reach it",
      });
  }

  // A plan is data that may come from a file: nothing it holds reaches a switch unchecked.
  const unsafe = plan.batches.flatMap((batch) =>
    deniedScriptLines(batch.commands, options.policy).map((m) => `${batch.id}: ${m}`),
  );
  if (unsafe.length > 0) {
    const message = `refused before sending anything: the plan holds commands the safety policy denies (${unsafe.slice(0, 3).join("; ")})`;
    for (const result of results.values()) if (result.outcome === "untouched") result.reason = message;
    return {
      devices: [...results.values()].sort((a, b) => a.device.localeCompare(b.device)),
      messages: 0,
      ok: false,
      message,
    };
  }

  const counter = { messages: 0 };
  const journal = new StepJournal(options.recordStep);
  const slots = new RolloutSlots(Math.max(1, settings.maxParallel));
  const runnerOf = (index: number) =>
    new WaveRunner(options, session, index, plan.waves[index]!, counter, journal, slots);
  let failedWave: number | undefined;
  let firstFailure: string | undefined;
  /** Waves whose saves still run while later waves go on. */
  const finishing: Promise<void>[] = [];
  const settle = (wave: Promise<DeviceResult[]>) =>
    finishing.push(
      wave.then((done) => {
        for (const result of done) results.set(result.device, result);
      }),
    );
  // With stopOnFailure, a wave is confirmed only after the one before it was (`confirmed[i]`).
  const confirmed: Promise<boolean>[] = [];
  const stopReason = () =>
    journal.isBroken
      ? "rollout stopped: the journal cannot be written"
      : failedWave !== undefined && settings.stopOnFailure
        ? `rollout stopped: wave ${failedWave} failed`
        : undefined;
  let ahead: WaveRunner | undefined;
  for (const [index, wave] of plan.waves.entries()) {
    const runner = ahead ?? runnerOf(index);
    ahead = undefined;
    // At most two waves unconfirmed at a time: this one, and the one whose confirm may still be out.
    await confirmed[index - 2];
    const stopped = stopReason();
    if (stopped) {
      settle(runner.abandon(stopped));
      continue;
    }
    options.onEvent?.({ type: "wave-start", wave: index, devices: wave });
    runner.stageAhead();
    // Staging is not live: the next wave's goes into its sessions while this one commits and confirms.
    if (index + 1 < plan.waves.length) {
      const next = runnerOf(index + 1);
      ahead = next;
      void runner.whenStaged().then(() => {
        if (!settings.stopOnFailure || (!runner.failed && failedWave === undefined)) next.stageAhead();
      });
    }
    const previous = settings.stopOnFailure ? (confirmed[index - 1] ?? Promise.resolve(true)) : undefined;
    const live = runner.run(previous);
    const held = live.outcome.then((outcome) => {
      options.onEvent?.({ type: "wave-end", wave: index, ok: outcome.ok });
      settle(outcome.done);
      if (!outcome.ok && failedWave === undefined) {
        failedWave = index;
        firstFailure = outcome.message;
      }
      return outcome.ok;
    });
    confirmed[index] = held;
    // The next wave goes live once this one verified (its confirm may still be on its way); a wave
    // that did not verify rolls back before anything else happens.
    if (!(await live.verified)) await held;
  }
  // Every wave's results are settled from its `confirmed` handler: wait for those, then for the saves.
  await Promise.all(confirmed);
  await Promise.all(finishing);
  return {
    devices: [...results.values()].sort((a, b) => a.device.localeCompare(b.device)),
    messages: counter.messages,
    ok: failedWave === undefined && !journal.isBroken,
    message: firstFailure ?? journal.failure?.message,
    ...(journal.failure ? { journalError: journal.failure } : {}),
  };
}

import pLimit from "p-limit";
import { compareInScope, parseConfig } from "../eos/index.ts";
import type { ManagedScope, RolloutSettings } from "../fabric/types.ts";
import type { Batch, Plan } from "../plan/types.ts";
import { deniedScriptLines, type SafetyPolicy } from "../safety/index.ts";
import type { GroupReply, SwitchChannel } from "./channel.ts";
import {
  abortScript,
  commitTimerScript,
  confirmScript,
  errorLines,
  runningConfigIn,
  saveScript,
  sessionNameFor,
  stageScript,
} from "./eos-session.ts";
import { findSessionOutcome } from "./session-outcome.ts";
import type { DeviceResult, SessionState } from "./types.ts";

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
}

export interface RolloutExecution {
  devices: DeviceResult[];
  messages: number;
  ok: boolean;
  message?: string;
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
  let failedWave: number | undefined;
  let firstFailure: string | undefined;
  for (const [index, wave] of plan.waves.entries()) {
    if (failedWave !== undefined && settings.stopOnFailure) {
      for (const device of wave) results.get(device)!.reason = `rollout stopped: wave ${failedWave} failed`;
      continue;
    }
    options.onEvent?.({ type: "wave-start", wave: index, devices: wave });
    const runner = new WaveRunner(options, session, index, wave, counter);
    const outcome = await runner.run();
    for (const result of outcome.results) results.set(result.device, result);
    options.onEvent?.({ type: "wave-end", wave: index, ok: outcome.ok });
    if (!outcome.ok && failedWave === undefined) {
      failedWave = index;
      firstFailure = outcome.message;
    }
  }
  return {
    devices: [...results.values()].sort((a, b) => a.device.localeCompare(b.device)),
    messages: counter.messages,
    ok: failedWave === undefined,
    message: firstFailure,
  };
}

interface WaveOutcome {
  ok: boolean;
  results: DeviceResult[];
  message?: string;
}

class WaveRunner {
  private readonly batches: Batch[];
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly started = Date.now();
  private readonly failures = new Map<string, string>();
  /** Each switch's session as its replies showed it (verify what happened, not what was asked). */
  private readonly sessions = new Map<string, SessionState>();

  constructor(
    private readonly options: RolloutOptions,
    private readonly session: string,
    private readonly wave: number,
    private readonly devices: string[],
    private readonly counter: { messages: number },
  ) {
    this.batches = options.plan.batches.filter((batch) => batch.wave === wave);
    this.limit = pLimit(Math.max(1, options.settings.maxParallel));
  }

  async run(): Promise<WaveOutcome> {
    await this.stage();
    if (this.failures.size > 0) return this.rollBack("staging failed", false);

    // From here on a switch may run the change: a failure rolls back live config, not a draft.
    const afterCommit = await this.commitWithTimer();
    if (this.failures.size > 0) return this.rollBack("commit failed", true);

    this.verify(afterCommit);
    if (this.failures.size > 0) return this.rollBack("verification failed", true);

    const confirmReplies = await this.toTargets(
      confirmScript(this.session),
      this.options.settings.replyTimeoutMs,
    );
    const confirmed = this.devices.filter((device) => !problemIn(confirmReplies.get(device)));
    for (const device of confirmed) this.sessions.set(device, "confirmed");
    const saveReplies = await this.toTargets(
      saveScript(),
      this.options.settings.replyTimeoutMs,
      true,
      confirmed,
    );
    const results = this.devices.map((device): DeviceResult => {
      const problem = problemIn(confirmReplies.get(device));
      this.emit(device, problem ? "failed" : "confirmed", problem);
      if (problem) {
        return {
          device,
          outcome: "unknown",
          wave: this.wave,
          session: this.sessions.get(device) ?? "unknown",
          reason: `confirm failed (${problem}); the commit timer rolls it back`,
          durationMs: this.elapsed(),
        };
      }
      // Live and confirmed either way; only a reload would lose an unsaved change.
      const unsaved = problemIn(saveReplies.get(device));
      return {
        device,
        outcome: "changed",
        wave: this.wave,
        session: "confirmed",
        durationMs: this.elapsed(),
        ...(unsaved
          ? { reason: `not saved to startup-config (${unsaved}); run \`write memory\` on it` }
          : {}),
      };
    });
    const unconfirmed = results.filter((r) => r.outcome !== "changed");
    return {
      ok: unconfirmed.length === 0,
      results,
      message: unconfirmed.length
        ? `wave ${this.wave}: ${unconfirmed.map((r) => r.device).join(", ")} not confirmed`
        : undefined,
    };
  }

  /** Every batch of the wave goes into the switch's config session; nothing is live yet. */
  private async stage(): Promise<void> {
    const timeoutMs = this.options.settings.replyTimeoutMs;
    const tasks = this.batches.map((batch) =>
      this.limit(async () => {
        const script = stageScript(this.session, batch.commands);
        const replies =
          batch.target.kind === "group"
            ? await this.sendGroup(batch.target.group, batch.target.members, script, timeoutMs)
            : new Map([[batch.target.device, await this.sendDevice(batch.target.device, script, timeoutMs)]]);
        for (const [device, reply] of replies) {
          // A reply means the switch ran `configure session`: its session exists (maybe with errors).
          if (reply.ok) this.sessions.set(device, "pending");
          const problem = problemIn(reply);
          if (problem) this.fail(device, `${batch.id}: ${problem}`);
        }
      }),
    );
    await Promise.all(tasks);
    for (const device of this.devices) if (!this.failures.has(device)) this.emit(device, "staged");
  }

  /**
   * `commit timer`: the change goes live and EOS rolls it back by itself unless confirmed. The same
   * message asks for the running config, which is what verification reads.
   */
  private async commitWithTimer(): Promise<Map<string, GroupReply>> {
    const script = commitTimerScript(this.session, this.options.settings.commitTimer);
    const replies = await this.toTargets(script, this.options.settings.verifyTimeoutMs, false);
    for (const device of this.devices) {
      const problem = problemIn(replies.get(device));
      if (problem) this.fail(device, `commit: ${problem}`);
      else {
        this.sessions.set(device, "committed-with-timer");
        this.emit(device, "committed");
      }
    }
    return replies;
  }

  /** The running config each switch printed right after its commit must equal the prediction in scope. */
  private verify(afterCommit: Map<string, GroupReply>): void {
    const predicted = new Map(this.options.plan.devices.map((d) => [d.device, d.predicted ?? ""]));
    for (const device of this.devices) {
      const reply = afterCommit.get(device);
      if (!reply?.ok) continue;
      const check = compareInScope(
        parseConfig(runningConfigIn(reply.text)),
        parseConfig(predicted.get(device) ?? ""),
        this.options.scope,
      );
      if (check.equal) this.emit(device, "verified");
      else
        this.fail(
          device,
          `verification: running config differs from the prediction at ${check.firstDifference}`,
        );
    }
  }

  /** Aborts the session on every switch of the wave: staged changes vanish, pending timers roll back now. */
  private async rollBack(what: string, committed: boolean): Promise<WaveOutcome> {
    const delays = this.options.abortRetryDelaysMs ?? [500, 1000, 2000, 4000];
    let pending = [...this.devices];
    const aborted = new Set<string>();
    const noSession = new Set<string>();
    for (let attempt = 0; attempt <= delays.length && pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(delays[attempt - 1]!);
      const replies = await Promise.all(
        pending.map((device) =>
          this.limit(
            async () =>
              [
                device,
                await this.sendDevice(
                  device,
                  abortScript(this.session),
                  this.options.settings.replyTimeoutMs,
                ),
              ] as const,
          ),
        ),
      );
      // An EOS error (no session of that name) is not proof of a rollback: staging may never have reached
      // the switch, or its session was committed behind the reconciler's back. The switch is asked below.
      for (const [device, reply] of replies) {
        if (reply.ok) aborted.add(device);
        else if (reply.error.code === "command-error") noSession.add(device);
      }
      pending = pending.filter((device) => !aborted.has(device) && !noSession.has(device));
    }
    const observed = new Map(
      await Promise.all(
        [...noSession].map((device) =>
          this.limit(async () => [device, await this.findOutcome(device)] as const),
        ),
      ),
    );
    const cause = [...this.failures.entries()].map(([d, reason]) => `${d}: ${reason}`).join("; ");
    const results = this.devices.map((device): DeviceResult => {
      const own = this.failures.get(device);
      const reason = own ?? `rolled back with its wave (${cause})`;
      if (aborted.has(device)) {
        this.emit(device, "rolled-back", reason);
        return {
          device,
          outcome: "rolled-back",
          wave: this.wave,
          session: "aborted",
          reason,
          durationMs: this.elapsed(),
        };
      }
      const found = observed.get(device);
      if (found) {
        if (found.outcome === "rolled-back") this.emit(device, "rolled-back", reason);
        return {
          device,
          outcome: found.outcome,
          wave: this.wave,
          session: found.session,
          reason: `${reason}; ${found.reason}`,
          durationMs: this.elapsed(),
        };
      }
      const session = this.sessions.get(device);
      return {
        device,
        outcome: committed ? "unknown" : "rolled-back",
        ...(session ? { session } : {}),
        wave: this.wave,
        reason: committed
          ? `${reason}; abort did not reach it, its commit timer (${this.options.settings.commitTimer}) rolls it back`
          : `${reason}; the change was never committed`,
        durationMs: this.elapsed(),
      };
    });
    return { ok: false, results, message: `wave ${this.wave}: ${what}: ${cause}` };
  }

  /**
   * Sends a script to every switch of the wave, through a group room where a group batch of this
   * wave covers exactly its members (one message instead of one per switch). Big replies (a full
   * running config) are asked for 1:1, because a room broadcasts every reply to every occupant.
   */
  private async toTargets(
    script: string[],
    timeoutMs: number,
    viaRooms = true,
    devices: string[] = this.devices,
  ): Promise<Map<string, GroupReply>> {
    const replies = new Map<string, GroupReply>();
    const covered = new Set<string>();
    const rooms: { group: string; members: string[] }[] = [];
    const wanted = new Set(devices);
    if (viaRooms) {
      for (const batch of this.batches) {
        if (batch.target.kind !== "group") continue;
        const members = batch.target.members;
        if (members.some((m) => covered.has(m) || this.failures.has(m) || !wanted.has(m))) continue;
        for (const m of members) covered.add(m);
        rooms.push({ group: batch.target.group, members });
      }
    }
    const tasks = [
      ...rooms.map((room) =>
        this.limit(async () => {
          for (const [d, r] of await this.sendGroup(room.group, room.members, script, timeoutMs))
            replies.set(d, r);
        }),
      ),
      ...devices
        .filter((d) => !covered.has(d))
        .map((device) =>
          this.limit(async () => replies.set(device, await this.sendDevice(device, script, timeoutMs))),
        ),
    ];
    await Promise.all(tasks);
    return replies;
  }

  /** Asks the switch what became of its session; each question counts as a message like every other send. */
  private async findOutcome(device: string) {
    const plan = this.options.plan.devices.find((d) => d.device === device) ?? {
      device,
      status: "changes" as const,
      commands: [],
    };
    const channel = this.options.channel;
    const counted: SwitchChannel = {
      sendScript: (target, lines, opts) => {
        this.counter.messages++;
        return channel.sendScript(target, lines, opts);
      },
      sendScriptToGroup: (group, lines, opts) => channel.sendScriptToGroup(group, lines, opts),
    };
    return findSessionOutcome(counted, plan, this.session, {
      scope: this.options.scope,
      timeoutMs: this.options.settings.replyTimeoutMs,
    });
  }

  private async sendDevice(device: string, script: string[], timeoutMs: number): Promise<GroupReply> {
    this.counter.messages++;
    try {
      return { ok: true, text: await this.options.channel.sendScript(device, script, { timeoutMs }) };
    } catch (error) {
      return { ok: false, error: error as Error };
    }
  }

  private async sendGroup(
    group: string,
    members: string[],
    script: string[],
    timeoutMs: number,
  ): Promise<Map<string, GroupReply>> {
    this.counter.messages++;
    try {
      return await this.options.channel.sendScriptToGroup(group, script, { members, timeoutMs });
    } catch (error) {
      return new Map(members.map((m) => [m, { ok: false, error: error as Error }]));
    }
  }

  private fail(device: string, reason: string): void {
    if (!this.failures.has(device)) this.failures.set(device, reason);
    this.emit(device, "failed", reason);
  }

  private emit(device: string, phase: RolloutPhase, detail?: string): void {
    this.options.onEvent?.({ type: "device", device, phase, detail });
  }

  private elapsed(): number {
    return Date.now() - this.started;
  }
}

/** Why a reply means failure: no reply, or EOS printed an error. */
function problemIn(reply: GroupReply | undefined): string | undefined {
  if (!reply) return "no reply";
  if (!reply.ok) return `${reply.error.code ?? "error"}: ${reply.error.message}`;
  const errors = errorLines(reply.text);
  return errors.length > 0 ? errors.join(" ") : undefined;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

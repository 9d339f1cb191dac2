/**
 * One wave of a rollout (DESIGN §7): staging (possibly ahead, while an earlier wave is live), commit
 * under the timer and verification per switch, then confirm and save per room or switch — or the
 * wave's rollback. executeRollout (rollout.ts) orders the waves.
 */
import { compareInScope, parseConfig } from "../eos/index.ts";
import type { Batch } from "../plan/types.ts";
import { countedNames, problemSummary } from "../report/name-list.ts";
import type { GroupReply, SwitchChannel } from "./channel.ts";
import {
  abortScript,
  commitTimerScript,
  confirmScript,
  errorLines,
  saveScript,
  stageScript,
} from "./eos-session.ts";
import type { RolloutEvent, RolloutOptions, RolloutPhase } from "./rollout.ts";
import { findSessionOutcome } from "./session-outcome.ts";
import type { RolloutSlots } from "./slots.ts";
import type { StepJournal } from "./step-journal.ts";
import type { DeviceResult, SessionState } from "./types.ts";
import { runningFromReadBack, runningFromSessionDiff } from "./verify-reply.ts";

/** Where one message goes: a group room for all of `members`, or (no group) the one switch. */
interface Target {
  group?: string;
  members: string[];
}

/** A wave that went live (or rolled back): whether it held, and its results once its saves are done. */
export interface WaveOutcome {
  ok: boolean;
  message?: string;
  done: Promise<DeviceResult[]>;
}

export class WaveRunner {
  private readonly batches: Batch[];
  private readonly started = Date.now();
  /** Per switch: its batches are staged, and the journal knows (false: the journal could not be written). */
  private staging?: Map<string, Promise<boolean>>;
  /** Switches a stage message was sent to: each may hold a session. */
  private readonly sent = new Set<string>();
  /** The wave is the one going live; before that, it is only staged ahead. */
  private live = false;
  private abandoned = false;
  /** Events of a wave staged ahead wait for its wave-start. */
  private readonly deferred: RolloutEvent[] = [];
  /** switch → what failed first (kind: stage, commit, verification) and why */
  private readonly failures = new Map<string, { kind: string; reason: string }>();
  /** Each switch's session as its replies showed it (verify what happened, not what was asked). */
  private readonly sessions = new Map<string, SessionState>();

  /** Each switch's config as the plan predicts it after the change. */
  private readonly predicted: Map<string, string>;

  constructor(
    private readonly options: RolloutOptions,
    private readonly session: string,
    private readonly wave: number,
    private readonly devices: string[],
    private readonly counter: { messages: number },
    private readonly journal: StepJournal,
    private readonly slots: RolloutSlots,
  ) {
    this.batches = options.plan.batches.filter((batch) => batch.wave === wave);
    this.predicted = new Map(options.plan.devices.map((d) => [d.device, d.predicted ?? ""]));
  }

  /** Sends the wave's batches into its switches' sessions (nothing goes live); once. */
  stageAhead(): void {
    this.staging ??= this.stage();
  }

  /** Something of the wave failed already: it rolls back. */
  get failed(): boolean {
    return this.failures.size > 0;
  }

  whenStaged(): Promise<void> {
    return Promise.all(this.staging?.values() ?? []).then(() => undefined);
  }

  /**
   * Goes live: `verified` tells once every switch verified (or not); `outcome` once the wave was
   * confirmed — after `previous` (the wave before it) was — or rolled back. Streamed (issue 14): each
   * switch is committed and verified as soon as its own batches are staged; the one barrier is the
   * wave's all-or-nothing rule (nothing is confirmed until every switch of the wave verified, so any
   * failure can still roll back the whole wave). Each room (or switch) is saved as soon as its
   * confirm came back.
   */
  run(previous?: Promise<boolean>): { verified: Promise<boolean>; outcome: Promise<WaveOutcome> } {
    this.live = true;
    for (const event of this.deferred.splice(0)) this.options.onEvent?.(event);
    const verified = this.commitAll().then(() => this.failures.size === 0);
    const outcome = verified.then(async (ok) => {
      if (!ok) {
        const live = this.devices.some((d) => this.sessions.get(d) === "committed-with-timer");
        return this.rollBack(live ? "commit or verification failed" : "staging failed");
      }
      if (previous && !(await previous))
        return this.rollBack("rolled back", `wave ${this.wave - 1} was not confirmed`);
      // Confirming is for good: not once the journal failed (it may have while the wave before confirmed).
      if (this.journal.isBroken)
        return this.rollBack("rolled back", this.journal.failure?.message ?? "the journal cannot be written");
      return this.confirmAndSave();
    });
    return { verified, outcome };
  }

  /**
   * Each target (a room covering exactly its members, else a switch) commits under its timer as soon as
   * its switches' batches are staged, and each switch is verified from its own reply.
   */
  private async commitAll(): Promise<void> {
    this.stageAhead();
    const staged = this.staging!;
    await Promise.all(
      this.targets(this.devices).map(async (target) => {
        const journaled = await Promise.all(target.members.map((device) => staged.get(device)));
        // Once anything failed, nothing more goes live: the wave rolls back.
        if (this.failures.size > 0) return;
        // Nothing goes live that the journal does not know is staged: a crash must leave a record.
        const unrecorded = target.members.filter((_, i) => !journaled[i]);
        if (unrecorded.length > 0) return this.failJournal(...unrecorded);
        for (const device of target.members) this.emit(device, "staged");
        await this.commitAndVerify(target);
      }),
    );
  }

  /**
   * Every batch of the wave goes into the switch's config session; nothing is live yet. Returns, per
   * switch, when all of its batches (its group's and its own) have been answered.
   */
  private stage(): Map<string, Promise<boolean>> {
    const timeoutMs = this.options.settings.replyTimeoutMs;
    const byDevice = new Map<string, Promise<void>[]>(this.devices.map((d) => [d, []]));
    for (const batch of this.batches) {
      const members = batch.target.kind === "group" ? batch.target.members : [batch.target.device];
      const task = this.slot(async () => {
        // the wave is rolling back, or will not run: stage no more
        if (this.failures.size > 0 || this.abandoned) return;
        for (const m of members) this.sent.add(m);
        const script = stageScript(this.session, batch.commands);
        const replies =
          batch.target.kind === "group"
            ? await this.sendGroup(batch.target.group, batch.target.members, script, timeoutMs)
            : new Map([[batch.target.device, await this.sendDevice(batch.target.device, script, timeoutMs)]]);
        for (const [device, reply] of replies) {
          // A reply means the switch ran `configure session`: its session exists (maybe with errors).
          if (reply.ok && !this.sessions.has(device)) this.sessions.set(device, "pending");
          const problem = problemIn(reply);
          if (problem) this.fail(device, "stage", `${batch.id}: ${problem}`);
        }
      });
      for (const m of members) byDevice.get(m)?.push(task);
    }
    return new Map(
      [...byDevice].map(([d, tasks]) => [
        d,
        Promise.all(tasks).then(() =>
          this.failures.size > 0 || this.abandoned ? true : this.journal.record("staged", [d]),
        ),
      ]),
    );
  }

  /**
   * The wave will not go live (an earlier one failed, or the journal broke): sessions staged ahead
   * are aborted, and every switch is reported untouched.
   */
  async abandon(reason: string): Promise<DeviceResult[]> {
    this.abandoned = true;
    await this.whenStaged();
    const held = [...this.sent];
    const replies = new Map(
      await Promise.all(
        held.map(async (device) => {
          const reply = await this.slot(() =>
            this.sendDevice(device, abortScript(this.session), this.options.settings.replyTimeoutMs),
          );
          return [device, reply] as const;
        }),
      ),
    );
    // An EOS error here means no session of that name: nothing was left behind either.
    const gone = new Set(
      held.filter((d) => {
        const reply = replies.get(d);
        return reply?.ok || reply?.error.code === "command-error";
      }),
    );
    await this.journal.record("rolled-back", [...gone]);
    return this.devices.map((device): DeviceResult => {
      const left = this.sent.has(device) && !gone.has(device);
      return {
        device,
        outcome: "untouched",
        wave: this.wave,
        reason: left
          ? `${reason}; its session was staged ahead and the abort did not reach it: run \`configure session ${this.session} abort\` on it (nothing of it is live)`
          : reason,
      };
    });
  }

  /**
   * `commit timer`: the change goes live and EOS rolls it back by itself unless confirmed. The same
   * message asks what verification reads (verify-reply.ts); the running config each switch shows must
   * equal its prediction in the managed scope. A room takes one message for all of its switches (the
   * session name is the run's, the same on each), each answering for itself.
   */
  private async commitAndVerify(target: Target): Promise<void> {
    const settings = this.options.settings;
    const planned = (device: string) =>
      settings.verify === "session-diff" ? this.options.running?.get(device) : undefined;
    // One script for the whole target: the session diff only where every switch's running config is known.
    const verify = target.members.every((device) => planned(device) !== undefined)
      ? "session-diff"
      : "running-config";
    const script = commitTimerScript(this.session, settings.commitTimer, verify);
    const replies = await this.slot(() =>
      this.failures.size > 0 ? undefined : this.sendTarget(target, script, settings.verifyTimeoutMs),
    );
    if (replies === undefined) return;
    const committed = new Map<string, string>(); // switch → its reply
    for (const device of target.members) {
      const reply = replies.get(device);
      const problem = problemIn(reply);
      if (problem || !reply?.ok) {
        this.fail(device, "commit", `commit: ${problem}`);
        continue;
      }
      this.sessions.set(device, "committed-with-timer");
      this.emit(device, "committed");
      committed.set(device, reply.text);
    }
    if (committed.size === 0) return;
    const live = [...committed.keys()];
    if (!(await this.journal.record("timer-running", live))) return this.failJournal(...live);
    for (const [device, text] of committed) {
      const reading =
        verify === "session-diff"
          ? runningFromSessionDiff(text, planned(device)!)
          : runningFromReadBack(text);
      if (!reading.ok) {
        this.fail(device, "verification", `verification: ${reading.reason}`);
        continue;
      }
      const check = compareInScope(
        parseConfig(reading.running),
        parseConfig(this.predicted.get(device) ?? ""),
        this.options.scope,
      );
      if (check.equal) this.emit(device, "verified");
      else
        this.fail(
          device,
          "verification",
          `verification: running config differs from the prediction at ${check.firstDifference}`,
        );
    }
  }

  /**
   * Confirm per room (or switch); each target's save follows its own confirm at once. The wave holds
   * once every confirm came back: the next wave may go on while the saves finish (`done`).
   */
  private async confirmAndSave(): Promise<WaveOutcome> {
    const settings = this.options.settings;
    const confirmReplies = new Map<string, GroupReply>();
    const saveReplies = new Map<string, GroupReply>();
    const saves: Promise<void>[] = [];
    await this.eachTarget(this.devices, async (send, members) => {
      const confirmed = await send(confirmScript(this.session), members);
      for (const [device, reply] of confirmed) {
        confirmReplies.set(device, reply);
        if (!problemIn(reply)) this.sessions.set(device, "confirmed");
      }
      const ok = members.filter((device) => !problemIn(confirmed.get(device)));
      if (ok.length === 0) return;
      // Written before the next wave asks whether the journal still works.
      await this.journal.record("confirmed", ok);
      // Confirmed is live for good: saved even when the journal failed, so the switch is consistent.
      const save = async () => {
        // The room again when all of it confirmed; else switch by switch.
        const saved =
          ok.length === members.length
            ? await send(saveScript(), members)
            : await this.sendEach(saveScript(), ok, settings.replyTimeoutMs);
        for (const [device, reply] of saved) saveReplies.set(device, reply);
        await this.journal.record(
          "saved",
          ok.filter((device) => !problemIn(saved.get(device))),
        );
      };
      saves.push(save());
    });
    const unconfirmed = this.devices.filter((device) => problemIn(confirmReplies.get(device)));
    for (const device of this.devices) {
      const problem = problemIn(confirmReplies.get(device));
      this.emit(device, problem ? "failed" : "confirmed", problem);
    }
    const done = Promise.all(saves).then(() =>
      this.devices.map((device): DeviceResult => {
        const problem = problemIn(confirmReplies.get(device));
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
      }),
    );
    return {
      ok: unconfirmed.length === 0,
      done,
      message: unconfirmed.length
        ? `wave ${this.wave}: ${countedNames(unconfirmed)} not confirmed`
        : undefined,
    };
  }

  /** Aborts the session on every switch of the wave: staged changes vanish, pending timers roll back now. */
  private async rollBack(what: string, why?: string): Promise<WaveOutcome> {
    const delays = this.options.abortRetryDelaysMs ?? [500, 1000, 2000, 4000];
    let pending = [...this.devices];
    const aborted = new Set<string>();
    const noSession = new Set<string>();
    for (let attempt = 0; attempt <= delays.length && pending.length > 0; attempt++) {
      if (attempt > 0) await sleep(delays[attempt - 1]!);
      const replies = await Promise.all(
        pending.map((device) =>
          this.slot(
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
          this.slot(async () => [device, await this.findOutcome(device)] as const),
        ),
      ),
    );
    await this.journal.record("rolled-back", [
      ...aborted,
      ...[...observed].filter(([, found]) => found.outcome === "rolled-back").map(([device]) => device),
    ]);
    const cause =
      why ??
      problemSummary([...this.failures].map(([device, f]) => ({ device, kind: f.kind, reason: f.reason })));
    const results = this.devices.map((device): DeviceResult => {
      const own = this.failures.get(device)?.reason;
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
      // Per switch: did its own reply show the commit timer running? (Streamed: some may, some not.)
      const committed = session === "committed-with-timer";
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
    return { ok: false, done: Promise.resolve(results), message: `wave ${this.wave}: ${what}: ${cause}` };
  }

  /**
   * Runs `step` once per target covering `devices`: a group room where a group batch of this wave
   * covers exactly its members (one message instead of one per switch), else each switch alone. The
   * targets go on independently; `send` holds a slot of the wave's parallelism per message only.
   */
  private async eachTarget(
    devices: string[],
    step: (
      send: (script: string[], members: string[]) => Promise<Map<string, GroupReply>>,
      members: string[],
    ) => Promise<void>,
  ): Promise<void> {
    const timeoutMs = this.options.settings.replyTimeoutMs;
    await Promise.all(
      this.targets(devices).map((target) =>
        step(
          (script, members) => this.slot(() => this.sendTarget({ ...target, members }, script, timeoutMs)),
          target.members,
        ),
      ),
    );
  }

  /**
   * The targets covering `devices`: a group room where a group batch of this wave covers exactly its
   * members and none of them failed (one message instead of one per switch), else each switch alone.
   */
  private targets(devices: string[]): Target[] {
    const covered = new Set<string>();
    const wanted = new Set(devices);
    const targets: Target[] = [];
    for (const batch of this.batches) {
      if (batch.target.kind !== "group") continue;
      const members = batch.target.members;
      if (members.some((m) => covered.has(m) || this.failures.has(m) || !wanted.has(m))) continue;
      for (const m of members) covered.add(m);
      targets.push({ group: batch.target.group, members });
    }
    for (const device of devices) if (!covered.has(device)) targets.push({ members: [device] });
    return targets;
  }

  /** One message to the target: its room (replies per member), or its one switch. */
  private async sendTarget(target: Target, script: string[], timeoutMs: number) {
    const [first] = target.members;
    return target.group === undefined
      ? new Map([[first!, await this.sendDevice(first!, script, timeoutMs)]])
      : this.sendGroup(target.group, target.members, script, timeoutMs);
  }

  /** The same script to each switch alone. */
  private async sendEach(
    script: string[],
    devices: string[],
    timeoutMs: number,
  ): Promise<Map<string, GroupReply>> {
    return new Map(
      await Promise.all(
        devices.map((device) =>
          this.slot(async () => [device, await this.sendDevice(device, script, timeoutMs)] as const),
        ),
      ),
    );
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

  /** The journal cannot record these switches' step: nothing more of the wave goes live. */
  private failJournal(...devices: string[]): void {
    const reason = this.journal.failure?.message ?? "the journal cannot be written";
    for (const device of devices) this.fail(device, "journal", reason);
  }

  private fail(device: string, kind: string, reason: string): void {
    if (!this.failures.has(device)) this.failures.set(device, { kind, reason });
    this.emit(device, "failed", reason);
  }

  private emit(device: string, phase: RolloutPhase, detail?: string): void {
    const event: RolloutEvent = { type: "device", device, phase, detail };
    if (this.live) this.options.onEvent?.(event);
    else if (!this.abandoned) this.deferred.push(event);
  }

  /** One of the rollout's message slots: first come the steps of the wave going live. */
  private slot<T>(task: () => Promise<T> | T): Promise<T> {
    return this.slots.run(this.live ? "now" : "ahead", task);
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

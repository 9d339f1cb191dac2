import { randomBytes } from "node:crypto";
import { buildDriftReport, type DriftReport } from "../drift/index.ts";
import { type Adoption, adoptDrift } from "../drift-proposal/index.ts";
import { loadFabric, readFabricRepo, renderIntended } from "../fabric/index.ts";
import type { CliMode, Fabric } from "../fabric/types.ts";
import {
  configuredFramings,
  type DeviceFraming,
  detectFramings,
  type FramingMemory,
  memoryFraming,
} from "../framing/index.ts";
import { type Clock, systemClock } from "../freeze/index.ts";
import { driftingSince, type Journal } from "../journal/index.ts";
import type { Lock } from "../lock/index.ts";
import { buildPlan, type DevicePart, type Observation, type Plan, planDevice } from "../plan/index.ts";
import type { FabricHold, Hold } from "../pr-workflow/index.ts";
import { countedNames, problemSummary } from "../report/name-list.ts";
import {
  executeRollout,
  liveRunningConfigs,
  type RecoveryNote,
  type RolloutEvent,
  type RolloutResult,
  type RunningConfigSource,
  type SwitchChannel,
  sessionNameFor,
} from "../rollout/index.ts";
import { compileSafetyPolicy } from "../safety/index.ts";
import type { DesiredState, FabricSource } from "../source/index.ts";
import { ExitCode } from "./exit-codes.ts";
import { freezeGate } from "./freeze-gate.ts";
import { heldBy, holdGate } from "./hold-gate.ts";
import { type RecordFields, withRun } from "./journaled-run.ts";
import { finishInterruptedApplies, stepRecorder } from "./journaled-steps.ts";
import { underLock } from "./locked-run.ts";
import { prefetchTrusted, type TrustedSettings, trustedSettings } from "./trust-boundary.ts";
import {
  type ApplyOutcome,
  type DriftOutcome,
  type FabricRunner,
  type PlanOutcome,
  type RunRefusal,
  type RunRequest,
  refusal,
} from "./types.ts";

export interface OpenChannel extends SwitchChannel {
  close(): Promise<void>;
  /** For `cliMode: auto` (framing/): a channel without them is sent in the assumed framing. */
  resourceOf?(device: string): string | undefined;
  useFraming?(device: string, mode: CliMode): void;
}

export type RunnerEvent =
  | {
      type: "phase";
      runId: string;
      phase: "source" | "validate" | "observe" | "plan" | "apply" | "drift";
      detail?: string;
    }
  | ({ runId: string } & RolloutEvent);

export interface RunnerDeps {
  source: FabricSource;
  journal: Journal;
  lock: Lock;
  /** Opens the XMPP session for a fabric (repoDir: where relative paths such as the CA file start). */
  openChannel(fabric: Fabric, repoDir: string): Promise<OpenChannel>;
  /** Running configs recorded in files instead of live switches (offline plan); apply refuses it. */
  recorded?: RunningConfigSource;
  onEvent?: (event: RunnerEvent) => void;
  newRunId?: () => string;
  /** Group-room factoring; off only to measure what it saves (bench/e2e.ts). */
  factorGroups?: boolean;
  /** "Now" for freeze windows; tests fix it. */
  clock?: Clock;
  /** Where `cliMode: auto` remembers each switch's framing; default: for this runner's life only. */
  framingMemory?: FramingMemory;
  /**
   * The service's fabric hold (pr-hold.json), for the CLI: while a PR holds the fabric, apply and
   * drift healing are refused unless overridden, and plans and drift reports say so. The service
   * passes none: it decides about the hold itself (server/hold-jobs.ts).
   */
  hold?: Pick<FabricHold, "current">;
}

export interface ConcreteRunner extends FabricRunner {
  /** Applies a plan saved earlier, after checking that no switch's running config changed since. */
  applyPlan(plan: Plan, request: RunRequest): Promise<ApplyOutcome>;
}

interface Prepared {
  runId: string;
  desired: DesiredState;
  fabric: Fabric;
  intended: Map<string, string>;
}

interface Observed {
  observed: Map<string, Observation>;
  /** Each switch's part of the plan, planned as its running config arrived. */
  parts: Map<string, DevicePart>;
  /** The CLI framing each switch is sent (absent offline: nothing was sent). */
  framing?: Map<string, DeviceFraming>;
  channel?: OpenChannel;
  /** Connection settings the run's revision changes, which take effect only on merge. */
  settingsChanges: string[];
}

/**
 * The reconcile loop in fixed steps (Flux style): source → validate → observe → plan → apply →
 * verify, with a `finally` that always writes the journal and releases what it took.
 */
export function createFabricRunner(deps: RunnerDeps): ConcreteRunner {
  const newRunId = deps.newRunId ?? defaultRunId;
  const clock = deps.clock ?? systemClock;
  const framingMemory = deps.framingMemory ?? memoryFraming();
  /** The current hold; an unreadable hold file refuses the run (journaled), never "not held". */
  const readHold = async (record: RecordFields): Promise<{ ok: true; hold?: Hold } | RunRefusal> => {
    try {
      return { ok: true, hold: await deps.hold?.current() };
    } catch (error) {
      const message = `cannot tell whether a PR holds the fabric: ${(error as Error).message}`;
      record({ outcome: "refused", message });
      return refusal("held", ExitCode.applyFailed, message);
    }
  };
  /** The hold gate for a change: a refusal, or nothing (an override is journaled). */
  const admitHold = (record: RecordFields, hold: Hold | undefined, request: RunRequest, change: string) => {
    const holding = holdGate(hold, request, change);
    if (!holding.ok) return holding.refusal;
    if (holding.override) record({ holdOverride: holding.override });
    return undefined;
  };
  /** Under the fabric lock: a hold taken since `before` was read (the service applied a PR) refuses the change. */
  const admitHoldAgain = async (
    record: RecordFields,
    before: Hold | undefined,
    request: RunRequest,
    change: string,
  ): Promise<RunRefusal | undefined> => {
    const now = await readHold(record);
    if (!now.ok) return now;
    return now.hold && now.hold.sha !== before?.sha
      ? admitHold(record, now.hold, request, change)
      : undefined;
  };
  const phase = (runId: string, name: Extract<RunnerEvent, { type: "phase" }>["phase"], detail?: string) =>
    deps.onEvent?.({ type: "phase", runId, phase: name, detail });

  async function prepare(
    runId: string,
    request: RunRequest,
    rev = request.rev,
    /** Called once the revision is checked out, before it is validated. */
    onCheckout?: () => void,
  ): Promise<Prepared | RunRefusal> {
    phase(runId, "source", rev);
    let desired: DesiredState;
    try {
      desired = await deps.source.checkout(rev);
    } catch (error) {
      return refusal("source-error", ExitCode.invalidInput, (error as Error).message);
    }
    onCheckout?.();
    phase(runId, "validate", desired.revision.sha);
    const loaded = await loadFabric(desired.dir);
    if (!loaded.ok) {
      await desired.dispose();
      return {
        ...refusal(
          "invalid-input",
          ExitCode.invalidInput,
          `the desired state at ${desired.revision.sha} is invalid (${loaded.errors.length} errors)`,
        ),
        revision: desired.revision,
        errors: loaded.errors,
      };
    }
    const intended = new Map(
      Object.keys(loaded.fabric.devices).map(
        (name) => [name, renderIntended(loaded.fabric, name, loaded.renders.get(name)).text] as const,
      ),
    );
    return { runId, desired, fabric: loaded.fabric, intended };
  }

  /**
   * Connects with the trusted settings (trust-boundary.ts): the tracked branch head's xmpp block,
   * whatever the run's revision says, for every run — a fork's PR, a branch's PR, a working tree.
   */
  async function connect(prepared: Prepared, trusted: TrustedSettings): Promise<OpenChannel> {
    const channel = await deps.openChannel({ ...prepared.fabric, xmpp: trusted.xmpp }, trusted.dir);
    // The trusted checkout holds the CA file a reconnect reads again: keep it as long as the channel.
    return {
      sendScript: (device, lines, opts) => channel.sendScript(device, lines, opts),
      sendScriptToGroup: (group, lines, opts) => channel.sendScriptToGroup(group, lines, opts),
      resourceOf: channel.resourceOf?.bind(channel),
      useFraming: channel.useFraming?.bind(channel),
      close: () => channel.close().finally(() => trusted.dispose()),
    };
  }

  async function observe(
    prepared: Prepared,
    /** Where the tracked branch head comes from: deps.source, or its export already under way. */
    trustedSource: FabricSource,
    /** Runs once connected, before the switches are asked for their running configs. */
    afterConnect?: (channel: OpenChannel, prepared: Prepared) => Promise<void>,
  ): Promise<Observed | RunRefusal> {
    phase(prepared.runId, "observe");
    const devices = Object.keys(prepared.fabric.devices).sort();
    const parts = new Map<string, DevicePart>();
    const planEach = (device: string, observation: Observation) => {
      try {
        parts.set(
          device,
          planDevice(prepared.fabric, device, prepared.intended.get(device) ?? "", observation),
        );
      } catch {
        // Left to buildPlan, which plans it again and reports what failed; observing goes on.
      }
    };
    const trusted = await trustedSettings(trustedSource, prepared.desired, prepared.fabric);
    if (deps.recorded) {
      // Offline: nothing connects, so a missing tracked branch (a shallow CI checkout) only loses the notice.
      const settingsChanges = "xmpp" in trusted ? trusted.changes : [];
      if ("xmpp" in trusted) await trusted.dispose();
      return { observed: await deps.recorded.observe(devices, planEach), parts, settingsChanges };
    }
    if (!("xmpp" in trusted)) return { ...trusted, revision: prepared.desired.revision };
    let channel: OpenChannel;
    try {
      channel = await connect(prepared, trusted);
    } catch (error) {
      await trusted.dispose();
      return {
        ...refusal(
          "unreachable",
          ExitCode.unreachable,
          `cannot reach the XMPP server: ${(error as Error).message}`,
        ),
        revision: prepared.desired.revision,
      };
    }
    const { rollout } = prepared.fabric;
    try {
      await afterConnect?.(channel, prepared);
    } catch (error) {
      await channel.close();
      throw error;
    }
    const framing = await framingsOf(prepared.fabric, devices, channel);
    const source = liveRunningConfigs(channel, {
      timeoutMs: rollout.verifyTimeoutMs,
      maxParallel: rollout.maxParallel * 4,
    });
    const observed = await source.observe(devices, planEach);
    return { observed, parts, framing, channel, settingsChanges: trusted.changes };
  }

  /** The framing per switch: the fabric's, or (`auto`) remembered or probed at first contact. */
  async function framingsOf(
    fabric: Fabric,
    devices: string[],
    channel: OpenChannel,
  ): Promise<Map<string, DeviceFraming>> {
    const setting = fabric.xmpp.cliMode;
    if (setting !== "auto") return configuredFramings(devices, setting);
    const { resourceOf, useFraming } = channel;
    if (!resourceOf || !useFraming) {
      return new Map(
        devices.map((d) => [d, { mode: "multiline", source: "assumed", note: "this channel cannot probe" }]),
      );
    }
    return detectFramings({
      channel: {
        sendScript: (device, lines, opts) => channel.sendScript(device, lines, opts),
        resourceOf,
        useFraming,
      },
      devices,
      memory: framingMemory,
      timeoutMs: fabric.rollout.verifyTimeoutMs,
      maxParallel: fabric.rollout.maxParallel * 4,
    });
  }

  /**
   * source → validate → observe, then `body` with the live (or recorded) running configs. A refusal on
   * the way is journaled; the XMPP session and the checkout are released whatever happens.
   */
  async function withObserved<T>(
    runId: string,
    request: RunRequest,
    rev: string | undefined,
    record: RecordFields,
    body: (prepared: Prepared, observed: Observed) => Promise<T>,
    /** Checked before any switch is contacted; a refusal ends the run there. */
    gate?: (prepared: Prepared) => RunRefusal | undefined,
    options: {
      locked?: boolean;
      afterConnect?: (channel: OpenChannel, prepared: Prepared) => Promise<void>;
    } = {},
  ): Promise<T | RunRefusal> {
    // The tracked head's export (trust-boundary.ts) runs in git while this process validates the
    // revision: after the checkout, which may fetch into the same repo.
    let early: ReturnType<typeof prefetchTrusted> | undefined;
    try {
      const prepared = await prepare(runId, request, rev, () => {
        early = prefetchTrusted(deps.source);
      });
      if (!("desired" in prepared)) {
        record({ outcome: "refused", message: prepared.message });
        return prepared;
      }
      const trustedSource = early?.source ?? deps.source;
      record({ fabric: prepared.fabric.name, revision: prepared.desired.revision });
      const refused = gate?.(prepared);
      if (refused) {
        await prepared.desired.dispose();
        record({ outcome: "refused", message: refused.message });
        return { ...refused, revision: prepared.desired.revision };
      }
      const observeThenBody = async (): Promise<T | RunRefusal> => {
        const observed = await observe(prepared, trustedSource, options.afterConnect);
        try {
          if (!("observed" in observed)) {
            record({ outcome: "refused", message: observed.message });
            return observed;
          }
          return await body(prepared, observed);
        } finally {
          if ("observed" in observed) await observed.channel?.close();
        }
      };
      try {
        // The lock is the fabric's (its name), taken before observing: a plan made from running configs
        // that another writer is changing would be stale at once.
        return options.locked
          ? await underLock(deps.lock, prepared.fabric.name, deps.journal, runId, observeThenBody)
          : await observeThenBody();
      } finally {
        await prepared.desired.dispose();
      }
    } finally {
      await early?.release();
    }
  }

  async function planWith(prepared: Prepared, observed: Observed): Promise<Plan> {
    phase(prepared.runId, "plan");
    const plan = await buildPlan({
      fabric: prepared.fabric,
      revision: prepared.desired.revision,
      intended: prepared.intended,
      observed: observed.observed,
      parts: observed.parts,
      framing: observed.framing,
      factorGroups: deps.factorGroups,
    });
    return observed.settingsChanges.length > 0
      ? { ...plan, settingsChangeOnMerge: observed.settingsChanges }
      : plan;
  }

  async function rollOut(
    prepared: Prepared,
    plan: Plan,
    observed: Observed,
    trigger: RunRequest["trigger"],
  ): Promise<RolloutResult> {
    phase(prepared.runId, "apply");
    const startedAt = new Date().toISOString();
    const run = { runId: prepared.runId, fabric: prepared.fabric.name, trigger };
    const execution = await executeRollout({
      recordStep: stepRecorder(deps.journal, run, sessionNameFor(prepared.runId)),
      plan,
      channel: observed.channel!,
      running: runningTexts(observed.observed),
      scope: prepared.fabric.scope,
      settings: prepared.fabric.rollout,
      policy: compileSafetyPolicy(prepared.fabric.policy),
      runId: prepared.runId,
      onEvent: (event) => deps.onEvent?.({ runId: prepared.runId, ...event }),
    });
    const anyChange = plan.summary.changed > 0;
    return {
      kind: "apply",
      runId: prepared.runId,
      fabric: prepared.fabric.name,
      revision: plan.revision,
      outcome: !anyChange ? "nothing-to-do" : execution.ok ? "succeeded" : "failed",
      startedAt,
      finishedAt: new Date().toISOString(),
      devices: execution.devices,
      messages: execution.messages,
      message: execution.message,
      ...(execution.journalError ? { journalError: execution.journalError.message } : {}),
    };
  }

  async function applyFlow(request: RunRequest, saved?: Plan): Promise<ApplyOutcome> {
    return withRun(deps.journal, newRunId, "apply", request, async (runId, record) => {
      let recovered: RecoveryNote[] = [];
      if (request.planOnly)
        return refusal(
          "invalid-input",
          ExitCode.invalidInput,
          "this request may only plan (e.g. a PR from a fork); apply refused",
        );
      if (deps.recorded)
        return refusal(
          "invalid-input",
          ExitCode.invalidInput,
          "apply needs live switches; recorded running configs are for planning only",
        );
      const held = await readHold(record);
      if (!held.ok) return held;
      const locked = await withObserved(
        runId,
        request,
        savedRevision(saved, request),
        record,
        async (prepared, observed): Promise<ApplyOutcome> => {
          const fresh = await planWith(prepared, observed);
          const stale = saved ? staleDevices(saved, fresh) : [];
          if (stale.length > 0) {
            return {
              ...refusal(
                "stale-plan",
                ExitCode.invalidInput,
                `the running config of ${countedNames(stale)} changed since the plan was made; run \`reconciler plan\` again and review the new plan`,
              ),
              revision: fresh.revision,
              devices: stale.map((device) => ({
                device,
                code: "stale",
                reason: "running config changed since the plan",
              })),
            };
          }
          const plan = saved ?? fresh;
          const heldSince = await admitHoldAgain(record, held.hold, request, "apply");
          if (heldSince) return { ...heldSince, revision: plan.revision };
          // A switch that answered with something no safe remediation can be computed from is as
          // unknown as one that did not answer: applying to the rest and saying "success" would hide it.
          const missing = plan.devices.filter((d) => d.status === "unreachable" || d.status === "error");
          if (missing.length > 0 && !request.allowUnreachable) {
            const problems = missing.map((d) => ({
              device: d.device,
              code: d.status === "error" ? "unplannable" : (d.error?.code ?? "unreachable"),
              reason: d.error?.message ?? "no reason",
            }));
            const summary = problemSummary(problems.map((p) => ({ ...p, kind: p.code })));
            return {
              ...refusal(
                "unreachable",
                ExitCode.unreachable,
                `cannot reach or plan ${problems.length.toLocaleString("en-US")} of ${plan.summary.devices.toLocaleString("en-US")} switches: ${summary}; nothing was changed. Use --allow-unreachable to apply to the others (--json lists every switch)`,
              ),
              revision: plan.revision,
              devices: problems,
            };
          }
          const rolled = await rollOut(prepared, plan, observed, request.trigger);
          const result = recovered.length > 0 ? { ...rolled, recovered } : rolled;
          const said = [result.message, ...recovered.map((n) => n.message)].filter(Boolean);
          record({
            outcome: result.outcome,
            ...(said.length > 0 ? { message: said.join("; ") } : {}),
            summary: plan.summary,
            devices: result.devices.map((d) => ({
              device: d.device,
              outcome: d.outcome,
              reason: d.reason,
            })),
          });
          return { ok: true, plan, result };
        },
        (prepared) => {
          const gate = freezeGate(prepared.fabric, clock, request, "apply");
          if (!gate.ok) return gate.refusal;
          if (gate.override) record({ freezeOverride: gate.override });
          return admitHold(record, held.hold, request, "apply");
        },
        {
          locked: true,
          // Under the lock, before observing: finish what a dead apply left mid-way on its switches.
          afterConnect: async (channel, prepared) => {
            const timeoutMs = prepared.fabric.rollout.replyTimeoutMs;
            recovered = await finishInterruptedApplies(deps.journal, channel, runId, timeoutMs);
          },
        },
      );
      if (!locked.ok) record({ outcome: "refused", message: locked.message });
      return locked;
    });
  }

  return {
    plan(request) {
      return withRun(deps.journal, newRunId, "plan", request, async (runId, record): Promise<PlanOutcome> => {
        const held = await readHold(record);
        if (!held.ok) return held;
        return withObserved(runId, request, request.rev, record, async (prepared, observed) => {
          const plan = await planWith(prepared, observed);
          record({
            outcome: plan.summary.changed > 0 ? "changes" : "no-changes",
            summary: plan.summary,
            devices: plan.devices.map((d) => ({ device: d.device, outcome: d.status })),
          });
          return held.hold ? { ok: true, plan, held: heldBy(held.hold) } : { ok: true, plan };
        });
      });
    },

    apply: (request) => applyFlow(request),
    applyPlan: (plan, request) => applyFlow(request, plan),

    drift(request) {
      return withRun(
        deps.journal,
        newRunId,
        "drift",
        request,
        async (runId, record, startedAt): Promise<DriftOutcome> => {
          const held = await readHold(record);
          if (!held.ok) return held;
          return withObserved(runId, request, request.rev, record, async (prepared, observed) => {
            phase(runId, "drift");
            const plan = await planWith(prepared, observed);
            let report: DriftReport = buildDriftReport({
              fabric: prepared.fabric,
              runId,
              plan,
              intended: prepared.intended,
              observed: observed.observed,
              driftingSince: driftingSince(await deps.journal.read()),
              now: startedAt,
            });
            // The holder's change shows as drift: the report says whose it is.
            if (held.hold) report = { ...report, held: heldBy(held.hold) };
            const drifted = report.devices.filter((d) => d.status === "drifted").length;
            if (request.heal && prepared.fabric.drift.selfHeal && drifted > 0 && observed.channel) {
              const gate = freezeGate(prepared.fabric, clock, request, "drift healing");
              const holding = holdGate(held.hold, request, "drift healing");
              if (request.healBlocked) {
                report = { ...report, healRefused: request.healBlocked };
                record({ message: request.healBlocked.message });
              } else if (!gate.ok) {
                report = { ...report, healRefused: { code: "frozen", message: gate.refusal.message } };
                record({ message: gate.refusal.message });
              } else if (!holding.ok) {
                report = { ...report, healRefused: { code: "held", message: holding.refusal.message } };
                record({ message: holding.refusal.message });
              } else {
                if (gate.override) record({ freezeOverride: gate.override });
                if (holding.override) record({ holdOverride: holding.override });
                const healed = await underLock(
                  deps.lock,
                  prepared.fabric.name,
                  deps.journal,
                  runId,
                  async () =>
                    (await admitHoldAgain(record, held.hold, request, "drift healing")) ??
                    rollOut(prepared, plan, observed, request.trigger),
                );
                if ("kind" in healed) report = { ...report, healed };
                else {
                  const code = healed.code === "held" ? "held" : "locked";
                  report = { ...report, healRefused: { code, message: healed.message } };
                  record({ message: healed.message });
                }
              }
            }
            const adoption =
              request.propose && drifted > 0 && !report.healed
                ? await adoptionOf(prepared.desired.dir, report, observed.observed)
                : undefined;
            record({
              outcome: report.healed
                ? `healed-${report.healed.outcome}`
                : report.healRefused
                  ? `heal-${report.healRefused.code}`
                  : drifted > 0
                    ? "drift"
                    : "in-sync",
              summary: plan.summary,
              devices: report.devices.map((d) => ({ device: d.device, outcome: d.status })),
            });
            return adoption ? { ok: true, report, adoption } : { ok: true, report };
          });
        },
      );
    },
  };
}

/** The edits that write the drifted switches' running configs into the repo at `dir`. */
async function adoptionOf(
  dir: string,
  report: DriftReport,
  observed: Map<string, Observation>,
): Promise<Adoption> {
  const read = await readFabricRepo(dir);
  const files = Object.fromEntries(
    Object.entries(read.files).map(([path, bytes]) => [
      path,
      typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("utf8"),
    ]),
  );
  const running = new Map<string, string>();
  for (const d of report.devices) {
    const seen = observed.get(d.device);
    if (d.status === "drifted" && seen?.ok) running.set(d.device, seen.text);
  }
  return adoptDrift({ files, running });
}

/** A saved plan is applied at the commit it was made from; a plan of a working tree, at the working tree. */
function savedRevision(saved: Plan | undefined, request: RunRequest): string | undefined {
  if (!saved) return request.rev;
  return /^[0-9a-f]{40}$/.test(saved.revision.sha) ? saved.revision.sha : undefined;
}

/** Switches whose running config is not the one the saved plan was computed from. */
function staleDevices(saved: Plan, fresh: Plan): string[] {
  const now = new Map(fresh.devices.map((d) => [d.device, d.runningHash]));
  return saved.devices
    .filter((d) => d.runningHash !== undefined && now.get(d.device) !== d.runningHash)
    .map((d) => d.device);
}

function defaultRunId(): string {
  const stamp = new Date().toISOString().replace(/[-:]/g, "").replace(/\..*/, "");
  return `${stamp}-${randomBytes(3).toString("hex")}`;
}

/** The running configs the switches answered with: what the rollout fits their session diffs onto. */
function runningTexts(observed: Map<string, Observation>): Map<string, string> {
  const texts = new Map<string, string>();
  for (const [device, seen] of observed) if (seen.ok) texts.set(device, seen.text);
  return texts;
}

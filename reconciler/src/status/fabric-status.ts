import type { DriftReport } from "../drift/types.ts";
import { redactSecrets } from "../eos/index.ts";
import type { DeviceFraming } from "../framing/index.ts";
import type { Plan } from "../plan/types.ts";
import type { RunnerEvent } from "../reconcile/index.ts";
import type { RolloutResult } from "../rollout/types.ts";
import type {
  FabricCounts,
  FabricHoldView,
  FabricView,
  LiveRun,
  SwitchEventEntry,
  SwitchHistoryEntry,
  SwitchState,
  SwitchStatus,
} from "./types.ts";

/** What the service remembers across a restart (the state dir's status.json). */
export interface SavedFabricStatus {
  version: 1;
  fabric?: string;
  revision?: string;
  updatedAt?: string;
  sections: string[];
  switches: SwitchStatus[];
  events?: SwitchEventEntry[];
  hold?: FabricHoldView;
}

export interface RunInfo {
  runId: string;
  /** The pull request a plan was for; a plan without one is of the tracked branch. */
  pullNumber?: number;
  title?: string;
  /** Where GitHub shows the run's result (the apply comment on the merged PR). */
  url?: string;
}

/**
 * The fabric's live picture, folded from run results as they finish. Holds no IO: the service feeds
 * it and saves `saved()` where it likes; listeners hear of every change (the live page).
 */
export interface FabricStatus {
  observePlan(plan: Plan, run: RunInfo): void;
  observeDrift(report: DriftReport): void;
  observeApply(plan: Plan, result: RolloutResult, run: RunInfo): void;
  observeEvent(event: RunnerEvent): void;
  /** The run in progress ended (one run at a time per fabric). */
  runEnded(): void;
  pullClosed(pullNumber: number): void;
  /** The fabric hold as a run left it; undefined: nothing holds the fabric. */
  observeHold(hold: FabricHoldView | undefined): void;
  /** A switch-event decision (events/ intake). */
  observeSwitchEvent(entry: SwitchEventEntry): void;
  view(): FabricView;
  switchStatus(device: string): SwitchStatus | undefined;
  saved(): SavedFabricStatus;
  onChange(listener: () => void): () => void;
}

const HISTORY = 20;
const EVENTS = 20;
const CHANGED_BY = 5;
const PULL_IN_URL = /\/(?:pull|issues)\/(\d+)/;

export function createFabricStatus(options: {
  repo: string;
  branch: string;
  saved?: SavedFabricStatus;
  now?: () => Date;
}): FabricStatus {
  const now = () => (options.now?.() ?? new Date()).toISOString();
  const switches = new Map<string, SwitchStatus>(options.saved?.switches.map((s) => [s.device, s]) ?? []);
  let sections = options.saved?.sections ?? [];
  let fabric = options.saved?.fabric;
  let revision = options.saved?.revision;
  let updatedAt = options.saved?.updatedAt;
  let events = options.saved?.events ?? [];
  let hold = options.saved?.hold;
  let live: LiveRun | undefined;
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };

  const entry = (device: string, groups?: string[]): SwitchStatus => {
    let status = switches.get(device);
    if (!status) {
      status = {
        device,
        groups: groups ?? [],
        state: "unknown",
        lines: 0,
        sections: [],
        presence: "unknown",
        pending: [],
        changedBy: [],
        history: [],
      };
      switches.set(device, status);
    }
    if (groups) status.groups = groups;
    return status;
  };
  const remember = (status: SwitchStatus, item: SwitchHistoryEntry) => {
    status.history.unshift(item);
    status.history.length = Math.min(status.history.length, HISTORY);
  };
  const setState = (status: SwitchStatus, state: SwitchState, fields: Partial<SwitchStatus> = {}) => {
    status.state = state;
    status.reason = undefined;
    status.lines = 0;
    status.sections = [];
    status.diff = undefined;
    status.remediation = undefined;
    if (state !== "drifted") status.driftSince = undefined;
    Object.assign(status, fields);
  };
  const meta = (source: { fabric: string; managed?: string[] }, sha: string) => {
    fabric = source.fabric;
    if (source.managed) sections = source.managed;
    revision = sha;
    updatedAt = now();
  };

  const applyResult = (result: RolloutResult, membership: Plan["membership"], run: RunInfo) => {
    const at = result.finishedAt;
    const pullNumber = run.pullNumber ?? Number(run.url?.match(PULL_IN_URL)?.[1] ?? Number.NaN);
    for (const device of result.devices) {
      const status = entry(device.device, membership?.[device.device]);
      remember(status, {
        at,
        runId: result.runId,
        kind: "apply",
        outcome: device.outcome,
        detail: device.reason,
      });
      if (device.outcome === "changed" || device.outcome === "in-sync") {
        setState(status, "in-sync", {
          presence: "online",
          lastCheckedAt: at,
          lastVerified: { sha: result.revision.sha, at, runId: result.runId },
        });
        if (device.outcome === "changed") {
          status.changedBy.unshift({
            runId: result.runId,
            sha: result.revision.sha,
            at,
            ...(Number.isInteger(pullNumber) ? { pullNumber } : {}),
            ...(run.url ? { url: run.url } : {}),
          });
          status.changedBy.length = Math.min(status.changedBy.length, CHANGED_BY);
        }
        if (Number.isInteger(pullNumber))
          status.pending = status.pending.filter((p) => p.pullNumber !== pullNumber);
      } else if (device.outcome === "unknown") {
        setState(status, "unknown", { reason: device.reason });
      }
    }
  };
  const observeApply = (plan: Plan, result: RolloutResult, run: RunInfo) => {
    meta(plan, result.revision.sha);
    applyResult(result, plan.membership, run);
    for (const planned of plan.devices) {
      if (planned.framing) entry(planned.device).framing = framingLabel(planned.framing);
      if (planned.status === "unreachable")
        setState(entry(planned.device), "unreachable", {
          presence: "offline",
          reason: planned.error?.message,
        });
    }
  };

  return {
    observePlan(plan, run) {
      const at = plan.createdAt;
      const forPull = run.pullNumber !== undefined;
      if (!forPull) meta(plan, plan.revision.sha);
      else if (plan.managed && sections.length === 0) sections = plan.managed;
      for (const planned of plan.devices) {
        const status = entry(planned.device, plan.membership?.[planned.device]);
        status.lastCheckedAt = at;
        status.presence = planned.status === "unreachable" ? "offline" : "online";
        if (planned.framing) status.framing = framingLabel(planned.framing);
        remember(status, {
          at,
          runId: run.runId,
          kind: "plan",
          outcome: planned.status,
          detail: forPull ? `PR #${run.pullNumber}` : planned.error?.message,
        });
        if (forPull) {
          const pullNumber = run.pullNumber!;
          status.pending = status.pending.filter((p) => p.pullNumber !== pullNumber);
          if (planned.status === "changes") {
            status.pending.push({
              pullNumber,
              title: run.title,
              sha: plan.revision.sha,
              lines: planned.commands.length,
              at,
            });
          }
          continue;
        }
        if (planned.status === "in-sync") {
          setState(status, "in-sync", { lastVerified: { sha: plan.revision.sha, at, runId: run.runId } });
        } else if (planned.status === "changes") {
          // A drift check names drift; a plan of the tracked branch only says git is ahead.
          if (status.state !== "drifted") {
            setState(status, "changes", {
              lines: planned.sections?.reduce((sum, s) => sum + s.lines, 0) ?? planned.commands.length,
              sections: planned.sections ?? [],
              diff: planned.diff,
              remediation: planned.commands.map(redactSecrets),
            });
          }
        } else if (planned.status === "unreachable") {
          setState(status, "unreachable", { reason: planned.error?.message });
        } else {
          setState(status, "unplannable", { reason: planned.error?.message });
        }
      }
      changed();
    },
    observeDrift(report) {
      meta({ fabric: report.fabric, managed: report.managed }, report.revision.sha);
      for (const device of report.devices) {
        const status = entry(device.device, report.membership?.[device.device]);
        status.lastCheckedAt = report.checkedAt;
        status.presence = device.status === "unreachable" ? "offline" : "online";
        remember(status, {
          at: report.checkedAt,
          runId: report.runId,
          kind: "drift",
          outcome: device.status,
          detail: device.error,
        });
        if (device.status === "in-sync") {
          setState(status, "in-sync", {
            lastVerified: { sha: report.revision.sha, at: report.checkedAt, runId: report.runId },
          });
        } else if (device.status === "unreachable") {
          setState(status, "unreachable", { reason: device.error });
        } else if (device.diff === undefined && device.error) {
          setState(status, "unplannable", { reason: device.error });
        } else {
          const cells = device.sections ?? [];
          setState(status, "drifted", {
            driftSince: device.since ?? report.checkedAt,
            lines: cells.reduce((sum, s) => sum + s.lines, 0),
            sections: cells,
            diff: device.diff,
            remediation: device.remediation,
          });
        }
      }
      if (report.healed) applyResult(report.healed, report.membership, { runId: report.healed.runId });
      changed();
    },
    observeApply(plan, result, run) {
      observeApply(plan, result, run);
      changed();
    },
    observeEvent(event) {
      if (!live || live.runId !== event.runId)
        live = { runId: event.runId, phase: "source", waveDevices: [], steps: {} };
      if (event.type === "phase") {
        live.phase = event.phase;
        live.detail = event.detail;
      } else if (event.type === "wave-start") {
        live.wave = event.wave;
        live.waveDevices = event.devices;
        for (const device of event.devices) live.steps[device] = "waiting";
      } else if (event.type === "device") {
        live.steps[event.device] = event.phase;
      }
      changed();
    },
    runEnded() {
      live = undefined;
      changed();
    },
    observeSwitchEvent(entry) {
      events = [entry, ...events].slice(0, EVENTS);
      changed();
    },
    observeHold(next) {
      const copy = next && holdView(next);
      if (JSON.stringify(copy) === JSON.stringify(hold)) return;
      hold = copy;
      changed();
    },
    pullClosed(pullNumber) {
      for (const status of switches.values())
        status.pending = status.pending.filter((p) => p.pullNumber !== pullNumber);
      changed();
    },
    view() {
      const list = [...switches.values()].sort((a, b) => natural.compare(a.device, b.device));
      return {
        fabric,
        repo: options.repo,
        branch: options.branch,
        revision,
        updatedAt,
        sections,
        counts: countOf(list),
        groups: groupsOf(list),
        switches: list,
        events,
        ...(hold ? { hold } : {}),
        ...(live ? { live } : {}),
      };
    },
    switchStatus: (device) => switches.get(device),
    saved: () => ({
      version: 1,
      fabric,
      revision,
      updatedAt,
      sections,
      switches: [...switches.values()],
      events,
      ...(hold ? { hold } : {}),
    }),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** Only the fields the page shows, whatever else the hold file carries. */
function holdView(hold: FabricHoldView): FabricHoldView {
  const { pullNumber, sha, by, since, runId, deferred } = hold;
  return {
    pullNumber,
    sha,
    by,
    since,
    runId,
    ...(deferred
      ? { deferred: { shas: [...deferred.shas], pulls: [...deferred.pulls], since: deferred.since } }
      : {}),
  };
}

/** "per-sender (detected)": the framing the switch is sent CLI in, and how the reconciler knows. */
function framingLabel(framing: DeviceFraming): string {
  return `${framing.mode} (${framing.source}${framing.note ? `: ${framing.note}` : ""})`;
}

const natural = new Intl.Collator("en", { numeric: true });

function countOf(list: SwitchStatus[]): FabricCounts {
  const counts: FabricCounts = {
    switches: list.length,
    "in-sync": 0,
    drifted: 0,
    changes: 0,
    unreachable: 0,
    unplannable: 0,
    unknown: 0,
    pending: 0,
  };
  for (const s of list) {
    counts[s.state]++;
    if (s.pending.length > 0) counts.pending++;
  }
  return counts;
}

/** Each switch under its first group (its primary one, as the device file lists it first). */
function groupsOf(list: SwitchStatus[]): { name: string; members: string[] }[] {
  const groups = new Map<string, string[]>();
  for (const s of list) {
    const name = s.groups[0] ?? "";
    if (!groups.has(name)) groups.set(name, []);
    groups.get(name)!.push(s.device);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === "" ? 1 : b === "" ? -1 : natural.compare(a, b)))
    .map(([name, members]) => ({ name, members }));
}

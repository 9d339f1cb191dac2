import type { DriftReport, HeldBy } from "../drift/types.ts";
import type { Adoption } from "../drift-proposal/index.ts";
import type { FabricError } from "../fabric/types.ts";
import type { FreezeOverride } from "../freeze/index.ts";
import type { Plan, Revision } from "../plan/types.ts";
import type { RolloutResult } from "../rollout/types.ts";

/** What asked for a run (journal, metrics and logs carry it). */
export type Trigger = "cli" | "pull-request" | "push" | "poll" | "schedule" | "comment" | "event";

export interface RunRequest {
  trigger: Trigger;
  /** Git revision to read the desired state at (sha, branch or tag); default: the tracked branch head. */
  rev?: string;
  /** Plan only for a PR from a fork: never apply, never use secrets beyond the read-only ones. */
  planOnly?: boolean;
  /** Plan or apply even when some switches are unreachable (they are reported, not changed). */
  allowUnreachable?: boolean;
  /** drift: apply the remediation where the fabric's drift.selfHeal allows it. */
  heal?: boolean;
  /** drift: also work out the git edits that adopt the live config (a drift proposal PR). */
  propose?: boolean;
  /**
   * drift: healing is not allowed now, whatever selfHeal says (a PR's applied change holds the fabric,
   * and healing would take it off); the report says why.
   */
  healBlocked?: { code: "held"; message: string };
  /** An emergency change during a freeze window: who asks and why (journaled). */
  overrideFreeze?: FreezeOverride;
  /** A change while a PR's applied-but-unmerged change holds the fabric: who asks and why (journaled). */
  overrideHold?: FreezeOverride;
  /** The run's id when the caller already named it (the service: one id in the journal, comments and
   * the status page); default: a fresh one. */
  runId?: string;
}

/** A run that could not start: invalid desired state, a held lock, an unreachable server … */
export interface RunRefusal {
  ok: false;
  /** The CLI exit code this maps to (1 invalid, 5 unreachable, …). */
  exitCode: number;
  code:
    | "invalid-input"
    | "locked"
    | "lock-unavailable"
    | "unreachable"
    | "source-error"
    | "stale-plan"
    | "frozen"
    | "held"
    | "journal-unwritable";
  message: string;
  revision?: Revision;
  errors?: FabricError[];
  /**
   * The switches a refusal is about (unreachable, stale), every one with its reason: the message names
   * only the first few, `--json` shows this list.
   */
  devices?: { device: string; code: string; reason: string }[];
  /** The journal could not be written (the refusal may be for another reason too). */
  journalError?: string;
  /** For "frozen": the windows in force (name, reason, until as an ISO time and in its time zone). */
  freeze?: FrozenWindow[];
  /** For "held": the PR whose applied-but-unmerged change holds the fabric (number, head, who, since). */
  hold?: HeldBy;
}

export interface FrozenWindow {
  name: string;
  reason: string;
  timeZone: string;
  until: string;
}

/**
 * `journalError`: the run did its work, but its journal record could not be written (say so, exit
 * non-zero). `held`: a PR's applied change holds the fabric, so an apply of this plan would be refused.
 */
export type PlanOutcome = { ok: true; plan: Plan; journalError?: string; held?: HeldBy } | RunRefusal;
export type ApplyOutcome =
  | { ok: true; plan: Plan; result: RolloutResult; journalError?: string }
  | RunRefusal;
/** `adoption`: with `propose`, the git edits that would adopt the drift (drift-proposal/). */
export type DriftOutcome =
  | { ok: true; report: DriftReport; journalError?: string; adoption?: Adoption }
  | RunRefusal;

/**
 * The reconciler's main job for one fabric, as the CLI and the service call it. Implementations
 * take a lock, write the journal and never leave a switch half-changed (commit timers).
 */
export interface FabricRunner {
  plan(request: RunRequest): Promise<PlanOutcome>;
  apply(request: RunRequest): Promise<ApplyOutcome>;
  drift(request: RunRequest): Promise<DriftOutcome>;
}

export function refusal(code: RunRefusal["code"], exitCode: number, message: string): RunRefusal {
  return { ok: false, code, exitCode, message };
}

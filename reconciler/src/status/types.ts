import type { SectionDiff } from "../drift/scope-diffs.ts";

/**
 * The fabric as an operator looks at it (Argo CD's application view, Nautobot's compliance report):
 * one status per switch, folded from the typed results of plan, drift and apply runs. Every view —
 * the HTML pages, the JSON API, `reconciler status` — renders these types and never recomputes them.
 */
export type SwitchState =
  | "in-sync" // live config equals git in the managed scope
  | "drifted" // live differs from what was applied (found by a drift check)
  | "changes" // git is ahead of the switch: the tracked branch has changes not applied yet
  | "unreachable" // the switch did not answer over XMPP
  | "unplannable" // it answered, but no safe remediation could be computed
  | "unknown"; // not checked since the service started

export interface SwitchHistoryEntry {
  at: string;
  runId: string;
  kind: "plan" | "apply" | "drift";
  /** What the run found or did to this switch: in-sync, drifted, changed, rolled-back, … */
  outcome: string;
  detail?: string;
}

/** An open pull request whose plan changes this switch. */
export interface PendingChange {
  pullNumber: number;
  title?: string;
  sha: string;
  lines: number;
  at: string;
}

/** An apply that changed this switch, and the pull request it came from when GitHub told us. */
export interface AppliedChange {
  runId: string;
  sha: string;
  at: string;
  pullNumber?: number;
  url?: string;
}

export interface SwitchStatus {
  device: string;
  groups: string[];
  state: SwitchState;
  /** Why it is unreachable or unplannable. */
  reason?: string;
  /** When the current drift episode was first seen. */
  driftSince?: string;
  /** Lines that differ in the managed scope (drifted or changes). */
  lines: number;
  /** Only the managed sections that differ; every other managed section is in sync. */
  sections: SectionDiff[];
  /** The whole managed-scope diff and the remediation that fixes it, secrets redacted. */
  diff?: string;
  remediation?: string[];
  /** The last revision this switch was verified to run (apply verified, or a check found it in sync). */
  lastVerified?: { sha: string; at: string; runId: string };
  lastCheckedAt?: string;
  /** Presence as the last run saw it. */
  presence: "online" | "offline" | "unknown";
  /** How the switch frames CLI over XMPP, when the transport reported it. */
  framing?: string;
  pending: PendingChange[];
  changedBy: AppliedChange[];
  history: SwitchHistoryEntry[];
}

/** A run in progress: the wave and each switch's step, for the live view. */
export interface LiveRun {
  runId: string;
  phase: string;
  detail?: string;
  wave?: number;
  waveDevices: string[];
  steps: Record<string, string>;
}

export interface FabricCounts {
  switches: number;
  "in-sync": number;
  drifted: number;
  changes: number;
  unreachable: number;
  unplannable: number;
  unknown: number;
  pending: number;
}

/** A decision about a switch event (events/): what came in and what became of it. */
export interface SwitchEventEntry {
  at: string;
  outcome: string;
  reason?: string;
  device?: string;
  rule?: string;
  source: string;
  /** "adding neighbor 10.0.3.0 to group SPINES on leaf3 (rule autopeer, PR #12)" for a change. */
  summary?: string;
  detail?: string;
  pullRequest?: { number: number; url: string };
  repeats?: number;
}

/**
 * A PR's applied-but-unmerged change holding the fabric (pr-workflow's Hold, as the page shows it):
 * other PRs are not applied, and applies of the tracked branch wait until it is merged, closed or
 * unlocked.
 */
export interface FabricHoldView {
  pullNumber: number;
  /** The PR head that was applied. */
  sha: string;
  /** Who applied it (a GitHub login). */
  by: string;
  since: string;
  runId: string;
  /** Applies of the tracked branch waiting for the hold: the revisions and the PRs merged meanwhile. */
  deferred?: { shas: string[]; pulls: number[]; since: string };
}

export interface FabricView {
  fabric?: string;
  repo: string;
  branch: string;
  /** The tracked-branch revision of the newest plan, drift or apply. */
  revision?: string;
  updatedAt?: string;
  /** The managed sections: the columns of the compliance matrix. */
  sections: string[];
  counts: FabricCounts;
  /** Group name → members, in the order the page lists them; switches in no group go under "". */
  groups: { name: string; members: string[] }[];
  switches: SwitchStatus[];
  /** Recent switch-event decisions, newest first. */
  events: SwitchEventEntry[];
  /** Absent: nothing holds the fabric. */
  hold?: FabricHoldView;
  live?: LiveRun;
}

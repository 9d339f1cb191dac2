/**
 * The pull-request workflow (Atlantis-style comment commands, apply requirements, the fabric hold):
 * the facts a decision needs, as values, so the decision itself is a pure function (decide.ts).
 */

/** `/reconciler <name> [args]` as written in a PR comment. */
export type CommandName = "plan" | "apply" | "unlock" | "heal" | "help";

export type CommentCommand =
  | { name: CommandName; args: string }
  /** `/reconciler frobnicate`: answered with the help text. */
  | { name: "unknown"; args: string; written: string };

/** GitHub's repository roles, weakest first (collaborators/{user}/permission `role_name`). */
export type Permission = "none" | "read" | "triage" | "write" | "maintain" | "admin";

export type ApplyRequirement = "approved" | "mergeable" | "up-to-date";

/** What fabric.yaml `github` says about the workflow, read at the tracked branch head (trusted). */
export interface WorkflowSettings {
  /** `/reconciler apply` may apply an open PR's head before it is merged. */
  applyBeforeMerge: boolean;
  applyRequires: ApplyRequirement[];
  /** The least role that may apply or unlock; write unless the fabric asks for more. */
  applyPermission: Permission;
}

export const DEFAULT_WORKFLOW: WorkflowSettings = {
  applyBeforeMerge: false,
  applyRequires: [],
  applyPermission: "write",
};

export interface Review {
  user: string;
  /** GitHub's review states: APPROVED, CHANGES_REQUESTED, COMMENTED, DISMISSED, PENDING. */
  state: string;
  /** The head the review was given on. */
  commitId: string;
}

/** A pull request as GitHub tells it when a command arrives. */
export interface PullFacts {
  number: number;
  author: string;
  headSha: string;
  /** "owner/name" of the head's repository; another than the base repository is a fork. */
  headRepo: string | undefined;
  baseRepo: string;
  baseRef: string;
  state: "open" | "closed";
  merged: boolean;
  /** null while GitHub is still computing it. */
  mergeable: boolean | null;
  labels: string[];
  /** Commits of the tracked branch that the head does not contain (compare API `behind_by`). */
  behindBy: number;
  reviews: Review[];
}

/** The applied-but-unmerged change of one PR, holding the fabric until that PR is merged or closed. */
export interface Hold {
  pullNumber: number;
  sha: string;
  /** Who applied it. */
  by: string;
  runId: string;
  since: string;
  /** Applies of the tracked branch that waited for the hold to end (their head lacks the held change). */
  deferred?: DeferredApply;
}

/**
 * The tracked branch moved on while the fabric was held (another PR merged, a direct push): applying
 * its head would take the holder's change off the switches, so it waits. Kept with the hold, so a
 * restarted service still applies it when the hold ends.
 */
export interface DeferredApply {
  /** Every tracked-branch revision that was not applied, oldest first: their statuses say "pending". */
  shas: string[];
  /** Merged PRs whose change waits, as their pull_request `closed` events named them. */
  pulls: number[];
  /** When the first apply was deferred. */
  since: string;
}

/** Where the hold is kept so it survives a restart of the service. */
export interface FabricHold {
  current(): Promise<Hold | undefined>;
  /** Writes the hold: a new one, or the current one with more deferred applies. */
  take(hold: Hold): Promise<void>;
  /** Releases the hold when `pullNumber` has it: the hold it released (with its deferrals), else undefined. */
  release(pullNumber: number): Promise<Hold | undefined>;
}

/** An unmet apply requirement and what would meet it. */
export interface Unmet {
  requirement: ApplyRequirement;
  why: string;
}

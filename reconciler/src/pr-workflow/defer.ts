import type { DeferredApply, Hold } from "./types.ts";

/** Enough revisions to settle their statuses later; older ones are superseded by the newest anyway. */
const MAX_SHAS = 20;

export interface Deferral {
  /** The tracked-branch revision that was not applied (a push), when known. */
  sha?: string;
  /** The merged PR whose change waits (a pull_request `closed` event), when known. */
  pullNumber?: number;
  at: string;
}

/**
 * The hold with one more apply of the tracked branch waiting for it. A push and the merge event of one
 * PR arrive in either order, each adding what it knows; seeing either again changes nothing.
 */
export function deferApply(hold: Hold, deferral: Deferral): Hold {
  const before: DeferredApply = hold.deferred ?? { shas: [], pulls: [], since: deferral.at };
  const shas =
    deferral.sha && !before.shas.includes(deferral.sha)
      ? [...before.shas, deferral.sha].slice(-MAX_SHAS)
      : before.shas;
  const pulls =
    deferral.pullNumber !== undefined && !before.pulls.includes(deferral.pullNumber)
      ? [...before.pulls, deferral.pullNumber]
      : before.pulls;
  return { ...hold, deferred: { ...before, shas, pulls } };
}

/** Whether the tracked-branch revision `sha` already waits for this hold. */
export function isDeferred(hold: Hold, sha: string): boolean {
  return hold.deferred?.shas.includes(sha) ?? false;
}

/** "#10 (1111111, applied by @alice)": how every message names the holder. */
export function holderName(hold: Hold): string {
  return `#${hold.pullNumber} (${hold.sha.slice(0, 7)}, applied by @${hold.by})`;
}

/** The one-line commit status of a revision whose apply waits for the hold. */
export function heldStatusLine(hold: Hold): string {
  return `not applied yet: the fabric is held by ${holderName(hold)}; applies when #${hold.pullNumber} is merged, closed or unlocked`;
}

/** Why a drift check does not heal while the fabric is held. */
export function heldHealMessage(hold: Hold, branch?: string): string {
  const where = branch ? `\`${branch}\`` : "the tracked branch";
  return `the fabric is held by ${holderName(hold)}, whose change is on the switches but not in ${where}: healing would take it off. Merge or close #${hold.pullNumber}, or \`/reconciler unlock\` it, first`;
}

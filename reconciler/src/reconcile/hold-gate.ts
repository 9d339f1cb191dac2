import type { HeldBy } from "../drift/types.ts";
import type { JournalRecord } from "../journal/index.ts";
import type { Hold } from "../pr-workflow/index.ts";
import { ExitCode } from "./exit-codes.ts";
import { type RunRefusal, type RunRequest, refusal } from "./types.ts";

export type HoldGate =
  | { ok: true; override?: NonNullable<JournalRecord["holdOverride"]> }
  | { ok: false; refusal: RunRefusal & { hold: HeldBy } };

/**
 * Whether a change (an apply, or a drift heal) may run while a PR's applied-but-unmerged change may
 * hold the fabric (the service's pr-hold.json). The tracked branch lacks that change, so applying it
 * would silently take the change off the switches: refused unless overridden, and an override is
 * returned so the journal records who and why. Refused with the freeze refusals' exit code: a change
 * not allowed now, nothing sent.
 */
export function holdGate(hold: Hold | undefined, request: RunRequest, change: string): HoldGate {
  if (!hold) return { ok: true };
  const held = heldBy(hold);
  if (request.overrideHold)
    return { ok: true, override: { ...request.overrideHold, pullNumber: held.pullNumber, sha: held.sha } };
  return {
    ok: false,
    refusal: { ...refusal("held", ExitCode.applyFailed, heldMessage(held, change)), hold: held },
  };
}

/** The hold as reports and refusals show it (never its deferred applies: those are the service's). */
export function heldBy(hold: Hold): HeldBy {
  return { pullNumber: hold.pullNumber, sha: hold.sha, by: hold.by, since: hold.since };
}

function heldMessage(held: HeldBy, change: string): string {
  return `${change} refused: the fabric is held by #${held.pullNumber} (head ${held.sha.slice(0, 7)}, applied by @${held.by} since ${held.since}), whose change is on the switches but not merged; running the tracked branch now would take it off. To go on: merge #${held.pullNumber} (its merge is then applied), close it (the switches go back to the branch), \`/reconciler unlock\` it, or pass \`--override-hold "reason"\` (journaled)`;
}

/** What `plan` and `drift` say while the fabric is held: changes are refused until the hold ends. */
export function heldNote(held: HeldBy): string {
  return `the fabric is held by #${held.pullNumber} (head ${held.sha.slice(0, 7)}, applied by @${held.by} since ${held.since}): \`apply\` and \`drift --heal\` are refused until #${held.pullNumber} is merged, closed or unlocked (\`/reconciler unlock\`), or \`--override-hold "reason"\` is given`;
}

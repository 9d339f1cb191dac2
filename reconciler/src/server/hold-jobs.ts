import type { GithubReporter } from "../github/index.ts";
import {
  deferApply,
  type FabricHold,
  type Hold,
  heldStatusLine,
  holderName,
  isDeferred,
} from "../pr-workflow/index.ts";
import type { CommandRun } from "./command-jobs.ts";
import type { Job, RequestResult } from "./run-queue.ts";

type ReleaseJob = Extract<Job, { kind: "release" }>;

export interface HoldJobsOptions {
  hold: FabricHold;
  github: Pick<GithubReporter, "reply">;
  branch: string;
  headOf?: () => Promise<string>;
  /** Whether commit `head` has `sha` in its history (git merge-base --is-ancestor). */
  contains?: (head: string, sha: string) => Promise<boolean>;
  request: (job: Job) => RequestResult;
  now?: () => Date;
}

/** What became of an apply of the tracked branch asked for while the fabric may be held. */
export type BranchApplyGate =
  /**
   * `released`: the head contains the held change (the holder's merge, its push before its `closed`
   * event): the hold ended here, and the apply of the head also stands for what waited for it.
   */
  | { held: false; released?: Hold }
  /** `seen`: this revision waited already (a poll, a redelivery, a restart): nothing new to report. */
  | { held: true; hold: Hold; seen: boolean };

/**
 * The fabric hold's life: while a PR's applied-but-unmerged change holds the fabric, applies of the
 * tracked branch wait (its head lacks that change; applying it would silently take the change off the
 * switches), and so does healing. When the hold ends the head is applied once: the holder's merge
 * contains both changes, a close without merge puts the switches back to the branch, an unlock applies
 * what waited.
 */
export interface HoldJobs {
  current(): Promise<Hold | undefined>;
  /**
   * Whether a closed PR needs a run: it holds the fabric, or it was merged while another PR does and
   * that PR's applied head lacks the merge.
   */
  concerns(job: ReleaseJob): Promise<boolean>;
  /**
   * Records the apply of `sha` as deferred when the fabric is held; `carried`: what an apply that
   * itself stood for deferred ones still owes (a new hold was taken before it ran).
   */
  gateBranchApply(sha: string, carried?: { shas: string[]; pulls: number[] }): Promise<BranchApplyGate>;
  release(job: ReleaseJob, run: CommandRun): Promise<void>;
  /** `/reconciler unlock`: releases the hold and applies what waited; the reply's text. */
  unlock(pullNumber: number, by: string): Promise<string>;
  /**
   * The apply that waited for a hold ran (as `sha`): the revisions it stood for get its status (they
   * said "pending"), and the PRs merged meanwhile hear what became of their change.
   */
  settleDeferred(
    deferred: { shas: string[]; pulls: number[] },
    sha: string,
    run: CommandRun,
    outcome: { state: "success" | "failure" | "error"; text: string; url?: string },
  ): Promise<void>;
}

export function createHoldJobs(options: HoldJobsOptions): HoldJobs {
  const { hold, github, branch } = options;
  const now = () => (options.now?.() ?? new Date()).toISOString();

  /** Applies the tracked branch head for a hold that ended with applies waiting; the head, or undefined. */
  const applyDeferred = async (released: Hold | undefined) => {
    const deferred = released?.deferred;
    if (!deferred || !options.headOf) return undefined;
    const sha = await options.headOf();
    const queued = options.request({
      kind: "apply",
      trigger: "pull-request",
      sha,
      force: true,
      deferred: { shas: deferred.shas, pulls: deferred.pulls },
    });
    return { sha, queued };
  };

  /**
   * Whether the merge of a PR other than the holder waits for the hold. Not when the holder's applied
   * head contains that merge: it is on the switches already, with the held change (a late `closed`
   * event of a PR whose push applied it, and released its hold, before this hold was taken).
   */
  const mergeWaits = async (current: Hold, job: ReleaseJob): Promise<boolean> => {
    if (!job.merged) return false;
    if (!job.mergeSha) return true;
    return current.sha !== job.mergeSha && !(await options.contains?.(current.sha, job.mergeSha));
  };

  const waiting = (h: Hold | undefined) => {
    const pulls = h?.deferred?.pulls ?? [];
    return pulls.length > 0
      ? ` (with ${pulls.map((n) => `#${n}`).join(", ")}, merged while it held the fabric)`
      : "";
  };

  return {
    current: () => hold.current(),

    async concerns(job) {
      const current = await hold.current();
      if (!current) return false;
      return current.pullNumber === job.pullNumber || mergeWaits(current, job);
    },

    async gateBranchApply(sha, carried) {
      const current = await hold.current();
      if (!current) return { held: false };
      // The holder's merge contains its change: applying the head takes nothing off the switches. The
      // push may come before the `closed` event (GitHub does not order them); that event then finds
      // no hold and applies nothing again. A squash or rebase merge has another sha: it waits for the
      // `closed` event as before.
      if (current.sha === sha || (await options.contains?.(sha, current.sha))) {
        const released = await hold.release(current.pullNumber);
        return { held: false, released: released ?? current };
      }
      if (isDeferred(current, sha) && !carried) return { held: true, hold: current, seen: true };
      const at = now();
      let updated = current;
      for (const waited of carried?.shas ?? []) updated = deferApply(updated, { sha: waited, at });
      for (const pullNumber of carried?.pulls ?? []) updated = deferApply(updated, { pullNumber, at });
      updated = deferApply(updated, { sha, at });
      await hold.take(updated);
      return { held: true, hold: updated, seen: isDeferred(current, sha) };
    },

    async release(job, run) {
      const current = await hold.current();
      if (current && current.pullNumber !== job.pullNumber) {
        // Another PR was merged while this one holds: its change is in the branch, not on the switches.
        if (!(await mergeWaits(current, job))) return run.count("not-held");
        const updated = deferApply(current, {
          pullNumber: job.pullNumber,
          ...(job.mergeSha ? { sha: job.mergeSha } : {}),
          at: now(),
        });
        await hold.take(updated);
        // The merge commit's status, whichever of its push and this event came first (the push then
        // finds it waiting already and says nothing more).
        if (job.mergeSha && !isDeferred(current, job.mergeSha))
          await run.status(job.mergeSha, "apply", "pending", heldStatusLine(updated));
        await run.report("reply", () =>
          github.reply(
            job.pullNumber,
            `Merged, but not applied yet: the fabric is held by ${holderName(current)}, whose change is on the switches but not in \`${branch}\`. Applying \`${branch}\` now would take it off the switches. \`${branch}\` is applied, with this change, when #${current.pullNumber} is merged (its merge then contains both), closed without merging (the switches go back to \`${branch}\`), or unlocked (\`/reconciler unlock\` on #${current.pullNumber}).`,
          ),
        );
        run.finish({
          outcome: "deferred",
          summary: `#${job.pullNumber} merged while #${current.pullNumber} holds the fabric: its apply waits`,
        });
        return run.count("deferred");
      }
      const released = await hold.release(job.pullNumber);
      if (job.merged) {
        // The merge contains the held change: applying the head now takes nothing off the switches.
        const applied = await applyDeferred(released);
        run.finish({
          outcome: "released",
          summary: applied
            ? `#${job.pullNumber} merged: its hold is released; the deferred apply of ${applied.sha.slice(0, 7)} ${applied.queued}`
            : `#${job.pullNumber} merged: its hold is released`,
        });
        return run.count("released");
      }
      // Closed unmerged: its change must leave the switches. The tracked branch goes back on through
      // the normal rollout (an apply job), even though that revision was applied before.
      const sha = options.headOf ? await options.headOf() : undefined;
      const deferred = released?.deferred;
      const queued = sha
        ? options.request({
            kind: "apply",
            trigger: "pull-request",
            sha,
            force: true,
            ...(deferred ? { deferred: { shas: deferred.shas, pulls: deferred.pulls } } : {}),
          })
        : "closed";
      await run.report("reply", () =>
        github.reply(
          job.pullNumber,
          sha
            ? `Closed without merging: its hold on the fabric is released, and the switches go back to \`${branch}\` (${sha.slice(0, 7)})${waiting(released)}.`
            : `Closed without merging: its hold on the fabric is released. Apply \`${branch}\` to take its change off the switches.`,
        ),
      );
      run.finish({ outcome: "released", summary: `#${job.pullNumber} closed: revert ${queued}` });
      run.count("released");
    },

    async unlock(pullNumber, by) {
      const released = await hold.release(pullNumber);
      const applied = await applyDeferred(released);
      if (applied)
        return `@${by} released this PR's hold on the fabric. Applies of \`${branch}\` waited for it${waiting(released)}: \`${branch}\` (${applied.sha.slice(0, 7)}) is applied now (${applied.queued}), which takes this PR's change off the switches unless \`${branch}\` contains it.`;
      return `@${by} released this PR's hold on the fabric. The switches keep its change until the next apply of \`${branch}\` (a merge, or \`/reconciler apply\` on a merged PR).`;
    },

    async settleDeferred(deferred, sha, run, { state, text, url }) {
      for (const waited of deferred.shas) {
        if (waited !== sha)
          await run.status(waited, "apply", state, `applied with ${sha.slice(0, 7)}: ${text}`, url);
      }
      for (const pullNumber of deferred.pulls) {
        await run.report("reply", () =>
          github.reply(
            pullNumber,
            state === "success"
              ? `The apply that waited for the fabric hold ran: ${sha.slice(0, 7)}, with this PR's change, is on the switches (run \`${run.id}\`: ${text}).`
              : `The apply that waited for the fabric hold ran, but did not succeed (run \`${run.id}\`: ${text}). See the apply comment; \`/reconciler apply\` here applies \`${branch}\` again.`,
          ),
        );
      }
    },
  };
}

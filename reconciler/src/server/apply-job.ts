import { frozenStatusLine } from "../freeze/index.ts";
import type { GithubReporter } from "../github/index.ts";
import { heldStatusLine } from "../pr-workflow/index.ts";
import type { FabricRunner } from "../reconcile/types.ts";
import { rolloutOneLine } from "../report/markdown.ts";
import type { FabricStatus } from "../status/index.ts";
import type { PullRequestWorkflow } from "./command-jobs.ts";
import type { ServiceMetrics } from "./metrics.ts";
import { applyFinish, type RunContext } from "./run-context.ts";
import type { Job } from "./run-queue.ts";

export type ApplyJob = Extract<Job, { kind: "apply" }>;

export interface ApplyJobOptions {
  runner: FabricRunner;
  github: GithubReporter;
  metrics: ServiceMetrics;
  /**
   * The tracked branch's head now. Events are hints (reference/github.md §1.1): apply runs the head,
   * never an older pushed sha that a late redelivery names.
   */
  headOf?: () => Promise<string>;
  status?: FabricStatus;
  /** The fabric hold: an apply of the tracked branch waits while a PR holds the fabric. */
  workflow?: Pick<PullRequestWorkflow, "gateBranchApply" | "settleDeferred">;
}

/** Applies the tracked branch head once per revision: the apply comment and the apply status. */
export function createApplyJob(options: ApplyJobOptions): (job: ApplyJob, run: RunContext) => Promise<void> {
  const { runner, github, metrics } = options;
  let lastAppliedHead: string | undefined;
  return async (job, run) => {
    const sha = options.headOf ? await options.headOf() : job.sha;
    if (sha !== job.sha)
      run.log.info({ pushed: job.sha, head: sha }, "the branch moved on; applying its head");
    if (sha === lastAppliedHead && !job.force) {
      run.log.info({ sha }, "the head was applied already");
      return run.count("duplicate");
    }
    // A PR's applied-but-unmerged change holds the fabric: the head lacks it, so applying the head
    // would take it off the switches. The apply waits, recorded with the hold (hold-jobs.ts).
    const gate = await options.workflow?.gateBranchApply(sha, job.deferred);
    if (gate?.held) {
      const { hold } = gate;
      run.log.info({ sha, heldBy: hold.pullNumber, seen: gate.seen }, "the fabric is held: the apply waits");
      if (!gate.seen) await run.status(sha, "apply", "pending", heldStatusLine(hold), run.pageUrl);
      run.finish({
        outcome: "deferred",
        summary: `not applied: the fabric is held by #${hold.pullNumber}; ${sha.slice(0, 7)} is applied when #${hold.pullNumber} is merged, closed or unlocked`,
        sha,
      });
      return run.count("deferred");
    }
    // The holder's merge released its hold: this apply also settles what waited for it.
    const released = gate?.released;
    if (released)
      run.log.info(
        { sha, released: released.pullNumber },
        "the head contains the held change: hold released",
      );
    const deferred = withWaited(job.deferred, released?.deferred);
    lastAppliedHead = sha;
    await run.status(sha, "apply", "pending", "applying to the switches");
    const outcome = await runner.apply({ runId: run.id, trigger: job.trigger, rev: sha });
    const url = run.linkFor(
      await run.report("apply comment", () => github.commentApply(sha, outcome, run.id)),
    );
    run.reachable(outcome.ok ? undefined : outcome);
    if (!outcome.ok) {
      run.finish(applyFinish(outcome, sha));
      const state = outcome.code === "invalid-input" ? "failure" : "error";
      const text = outcome.freeze ? frozenStatusLine(outcome.freeze) : outcome.message;
      await run.status(sha, "apply", state, text, url);
      if (deferred) await options.workflow?.settleDeferred(deferred, sha, run, { state, text, url });
      return run.count(outcome.code);
    }
    const result = outcome.result;
    options.status?.observeApply(outcome.plan, result, { runId: run.id, url });
    const ok = result.outcome === "succeeded" || result.outcome === "nothing-to-do";
    if (ok) metrics.lastSuccessfulApply.set(Date.now() / 1000);
    run.finish(applyFinish(outcome, sha));
    await run.status(sha, "apply", ok ? "success" : "failure", rolloutOneLine(result), url);
    if (deferred) {
      const settled = {
        state: ok ? ("success" as const) : ("failure" as const),
        text: rolloutOneLine(result),
        url,
      };
      await options.workflow?.settleDeferred(deferred, sha, run, settled);
    }
    run.count(result.outcome);
  };
}

/** What an apply stands for: what its job carried, and what waited for a hold it released. */
function withWaited(
  carried: ApplyJob["deferred"],
  waited: { shas: string[]; pulls: number[] } | undefined,
): ApplyJob["deferred"] {
  if (!waited) return carried;
  if (!carried) return { shas: waited.shas, pulls: waited.pulls };
  return {
    shas: [...new Set([...carried.shas, ...waited.shas])],
    pulls: [...new Set([...carried.pulls, ...waited.pulls])],
  };
}

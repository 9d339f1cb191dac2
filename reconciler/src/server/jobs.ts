import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { GithubReporter } from "../github/index.ts";
import type { FabricRunner } from "../reconcile/types.ts";
import type { FabricStatus } from "../status/index.ts";
import { createApplyJob } from "./apply-job.ts";
import type { PullRequestWorkflow } from "./command-jobs.ts";
import { createDriftJob } from "./drift-job.ts";
import type { DriftProposals } from "./drift-proposals.ts";
import type { ServiceMetrics } from "./metrics.ts";
import { createPlanJob } from "./plan-job.ts";
import type { RecentRuns } from "./recent-runs.ts";
import { createRunContext } from "./run-context.ts";
import type { Job } from "./run-queue.ts";

export interface JobExecutorOptions {
  runner: FabricRunner;
  github: GithubReporter;
  metrics: ServiceMetrics;
  logger: Logger;
  /**
   * The tracked branch's head now. Events are hints (reference/github.md §1.1): apply runs the head,
   * never an older pushed sha that a late redelivery names.
   */
  headOf?: () => Promise<string>;
  newRunId?: () => string;
  /** The status page's memory; each run's full report goes there. */
  recent?: RecentRuns;
  /** Where the status page is reachable; statuses link to a run's page when there is no comment. */
  publicUrl?: string;
  /** Commit statuses link to the run's page (a configured public address), not to the comment. */
  statusesLinkToPage?: boolean;
  /** The fabric's picture: every finished run's typed result is folded into it. */
  status?: FabricStatus;
  saveStatus?: (status: FabricStatus) => Promise<void>;
  /** Comment commands and the fabric hold; without it, command and release jobs do nothing. */
  workflow?: PullRequestWorkflow;
  /** drift.propose: each drift episode as a PR that adopts the live config. */
  proposals?: DriftProposals;
  /** The tracked branch, as messages name it. */
  branch?: string;
}

/**
 * Runs one queued job against the FabricRunner and reports it to GitHub, logs and metrics: the plan,
 * apply and drift jobs each in their own file, comment commands and releases in the PR workflow.
 */
export function createJobExecutor(options: JobExecutorOptions): (job: Job) => Promise<void> {
  const newRunId = options.newRunId ?? (() => randomUUID().slice(0, 8));
  const plan = createPlanJob(options);
  const apply = createApplyJob(options);
  const drift = createDriftJob(options);

  return async (job) => {
    // Most closed PRs hold nothing: that is no run worth showing.
    if (
      job.kind === "release" &&
      !(await options.workflow?.concerns(job)) &&
      !(await options.proposals?.isProposal(job.pullNumber))
    )
      return;
    const run = createRunContext(options, job, newRunId());
    run.log.info({ job }, `${job.kind} run started`);
    try {
      if (job.kind === "plan") await plan(job, run);
      else if (job.kind === "apply") await apply(job, run);
      else if (job.kind === "drift") await drift(job, run);
      else if (job.kind === "command")
        await options.workflow?.command(job, run, (next) =>
          next.kind === "plan" ? plan(next, run) : apply(next, run),
        );
      else if (await options.proposals?.isProposal(job.pullNumber)) {
        await options.proposals!.closed(job.pullNumber, job.merged, job.closedBy, run);
        // Its merge waits for another PR's hold as any merge does: the deferral and its reply.
        if (await options.workflow?.concerns(job)) await options.workflow!.release(job, run);
        else {
          run.finish({ outcome: job.merged ? "adopted" : "proposal-closed" });
          run.count(job.merged ? "adopted" : "proposal-closed");
        }
      } else await options.workflow?.release(job, run);
    } catch (error) {
      run.log.error({ err: error }, `${job.kind} run failed unexpectedly`);
      run.finish({ outcome: "error", summary: (error as Error).message });
      run.count("error");
    } finally {
      // The status page shows the hold as the run left it (taken, deferred to, released).
      if (options.workflow && options.status) {
        try {
          options.status.observeHold(await options.workflow.current());
        } catch (error) {
          run.log.error({ err: error }, "cannot read the fabric hold for the status page");
        }
      }
      options.status?.runEnded();
      await options
        .saveStatus?.(options.status!)
        .catch((error: unknown) =>
          run.log.error(
            { err: error },
            "cannot save the status page's picture; it is rebuilt by the next runs",
          ),
        );
    }
  };
}

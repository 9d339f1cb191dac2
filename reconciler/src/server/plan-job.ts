import { redactSecrets } from "../eos/index.ts";
import type { GithubReporter } from "../github/index.ts";
import type { FabricRunner } from "../reconcile/types.ts";
import { plural, renderPlanText, styleFor } from "../report/text.ts";
import type { FabricStatus } from "../status/index.ts";
import type { PullRequestWorkflow } from "./command-jobs.ts";
import { type RunContext, refusalText } from "./run-context.ts";
import type { Job } from "./run-queue.ts";

export type PlanJob = Extract<Job, { kind: "plan" }>;

export interface PlanJobOptions {
  runner: FabricRunner;
  github: GithubReporter;
  status?: FabricStatus;
  /** Another PR's hold on the fabric is noted in the plan comment. */
  workflow?: Pick<PullRequestWorkflow, "planNotes">;
}

const plain = styleFor(false);

/** Plans a PR's head: the plan comment, and the validate and plan statuses of that head. */
export function createPlanJob(options: PlanJobOptions): (job: PlanJob, run: RunContext) => Promise<void> {
  const { runner, github } = options;
  return async (job, run) => {
    await run.status(job.sha, "validate", "pending", "validating the desired state");
    await run.status(job.sha, "plan", "pending", "planning against the switches");
    const outcome = await runner.plan({
      runId: run.id,
      trigger: job.trigger,
      rev: job.sha,
      ...(job.isFork ? { planOnly: true } : {}),
    });
    const url = run.linkFor(
      await run.report("plan comment", async () =>
        github.commentPlan(
          job.pullNumber,
          outcome,
          run.id,
          await options.workflow?.planNotes(job.pullNumber),
        ),
      ),
    );
    run.reachable(outcome.ok ? undefined : outcome);
    if (!outcome.ok) {
      run.finish({ outcome: outcome.code, summary: outcome.message, report: refusalText(outcome) });
      const invalid = outcome.code === "invalid-input";
      if (invalid) await run.status(job.sha, "validate", "failure", outcome.message, url);
      else await run.status(job.sha, "validate", "success", "the desired state is valid", url);
      const why = invalid ? "not planned: the desired state is invalid" : outcome.message;
      await run.status(job.sha, "plan", invalid ? "failure" : "error", why, url);
      return run.count(outcome.code);
    }
    options.status?.observePlan(outcome.plan, {
      runId: run.id,
      pullNumber: job.pullNumber,
      title: job.title,
    });
    const s = outcome.plan.summary;
    await run.status(job.sha, "validate", "success", "the desired state is valid", url);
    const text =
      s.changed === 0
        ? `no changes; ${plural(s.inSync, "switch", "switches")} in sync`
        : `${plural(s.changed, "switch", "switches")} to change in ${plural(s.batches, "batch", "batches")}; ${s.inSync} in sync`;
    const problems = s.unreachable + s.errors;
    const described =
      problems > 0 ? `${text}; ${plural(problems, "switch", "switches")} could not be planned` : text;
    run.finish({
      outcome: problems > 0 ? "incomplete" : s.changed > 0 ? "changes" : "no-changes",
      summary: described,
      report: renderPlanText(outcome.plan, plain, redactSecrets),
      devices: outcome.plan.devices.map((d) => d.device),
    });
    await run.status(job.sha, "plan", problems > 0 ? "failure" : "success", described, url);
    run.count(problems > 0 ? "incomplete" : s.changed > 0 ? "changes" : "no-changes");
  };
}

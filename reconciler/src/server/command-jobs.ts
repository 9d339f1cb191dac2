import { frozenStatusLine } from "../freeze/index.ts";
import type { GithubReporter, PullRequestReader } from "../github/index.ts";
import {
  type CommandDecision,
  decideCommand,
  type FabricHold,
  type Hold,
  type Permission,
  type WorkflowSettings,
} from "../pr-workflow/index.ts";
import type { ApplyOutcome, FabricRunner } from "../reconcile/types.ts";
import { rolloutOneLine } from "../report/markdown.ts";
import { createHoldJobs, type HoldJobs } from "./hold-jobs.ts";
import { applyFinish, type RunFinish } from "./run-context.ts";
import type { Job, RequestResult } from "./run-queue.ts";

type CommandJob = Extract<Job, { kind: "command" }>;

/**
 * Runs a plan or an apply job as part of a command's run (the executor's plan and apply jobs): one
 * run, whose page shows the report, whose id the comments and the journal name.
 */
export type FollowUp = (job: Extract<Job, { kind: "plan" | "apply" }>) => Promise<void>;

/** What the command jobs need from the run that executes them (run-context.ts RunContext). */
export interface CommandRun {
  id: string;
  log: { info(fields: object, message: string): void };
  report<T>(operation: string, call: () => Promise<T>): Promise<T | undefined>;
  status(
    sha: string,
    check: "apply",
    state: "pending" | "success" | "failure" | "error",
    text: string,
    url?: string,
  ): Promise<void>;
  finish(fields: RunFinish): void;
  count(outcome: string): void;
}

export interface PullRequestWorkflowOptions {
  runner: FabricRunner;
  github: GithubReporter;
  pulls: PullRequestReader;
  hold: FabricHold;
  /** fabric.yaml's workflow settings at the tracked branch head (never the PR's own). */
  settings: () => Promise<WorkflowSettings>;
  branch: string;
  headOf?: () => Promise<string>;
  /** Whether commit `head` has `sha` in its history (the holding PR's merge). */
  contains?: (head: string, sha: string) => Promise<boolean>;
  /** `/reconciler heal` on a drift proposal: the refusal to reply, or "" when it healed (with `apply`). */
  heal?: (pullNumber: number, by: string, run: CommandRun, apply: FollowUp) => Promise<string>;
  /** Queues an apply (what waited for a hold, putting the switches back after a close). */
  request: (job: Job) => RequestResult;
}

export interface PullRequestWorkflow extends Omit<HoldJobs, "unlock"> {
  command(job: CommandJob, run: CommandRun, followUp: FollowUp): Promise<void>;
  /** Notes for a PR's plan comment: another PR holds the fabric. */
  planNotes(pullNumber: number): Promise<string[]>;
}

/** Comment commands, apply requirements and the fabric hold (pr-workflow/) wired to GitHub and the runner. */
export function createPullRequestWorkflow(options: PullRequestWorkflowOptions): PullRequestWorkflow {
  const { github, pulls, hold } = options;
  const holdJobs = createHoldJobs({
    hold,
    github,
    branch: options.branch,
    headOf: options.headOf,
    contains: options.contains,
    request: options.request,
  });

  async function decide(job: CommandJob): Promise<CommandDecision> {
    const pull = await pulls.facts(job.pullNumber, options.branch);
    const settings = await options.settings();
    const name = job.command.name;
    const needsPermission = name === "apply" || name === "unlock" || name === "heal";
    const permission = needsPermission ? await pulls.permissionOf(job.commenter) : undefined;
    const reviewers = new Map<string, Permission>();
    if (name === "apply" && settings.applyRequires.includes("approved")) {
      for (const user of new Set(pull.reviews.map((r) => r.user)))
        reviewers.set(user, await pulls.permissionOf(user));
    }
    return decideCommand({
      command: job.command,
      commenter: job.commenter,
      permission,
      settings,
      branch: options.branch,
      pull,
      reviewers,
      hold: await hold.current(),
    });
  }

  async function apply(
    job: CommandJob,
    run: CommandRun,
    decision: Extract<CommandDecision, { kind: "apply" }>,
  ): Promise<void> {
    const sha = decision.sha ?? (options.headOf ? await options.headOf() : undefined);
    if (!sha) {
      await run.report("reply", () =>
        github.reply(job.pullNumber, "Cannot tell the tracked branch's head; nothing was applied."),
      );
      return run.count("no-head");
    }
    await run.status(sha, "apply", "pending", `applying at the request of @${job.commenter}`);
    const outcome: ApplyOutcome = await options.runner.apply({
      runId: run.id,
      trigger: "comment",
      rev: sha,
      ...(decision.override ? { overrideFreeze: decision.override } : {}),
    });
    const url = await run.report("apply comment", () =>
      github.commentApply(sha, outcome, run.id, job.pullNumber),
    );
    if (!outcome.ok) {
      if (outcome.code === "frozen" && decision.overrideNote)
        await run.report("reply", () => github.reply(job.pullNumber, decision.overrideNote!));
      await run.status(
        sha,
        "apply",
        outcome.code === "invalid-input" ? "failure" : "error",
        outcome.freeze ? frozenStatusLine(outcome.freeze) : outcome.message,
        url,
      );
      run.finish(applyFinish(outcome, sha));
      return run.count(outcome.code);
    }
    const result = outcome.result;
    // An open PR's change now runs on the switches without being in git: it holds the fabric until the
    // PR is merged or closed. A merged PR's apply is the tracked branch: nothing to hold.
    if (decision.target === "pull-head" && result.outcome !== "nothing-to-do") {
      // Applying its newer head keeps what waited for this PR's hold.
      const before = await hold.current();
      const taken: Hold = {
        pullNumber: job.pullNumber,
        sha,
        by: job.commenter,
        runId: run.id,
        since: new Date().toISOString(),
        ...(before?.pullNumber === job.pullNumber && before.deferred ? { deferred: before.deferred } : {}),
      };
      await hold.take(taken);
    }
    const ok = result.outcome === "succeeded" || result.outcome === "nothing-to-do";
    await run.status(sha, "apply", ok ? "success" : "failure", rolloutOneLine(result), url);
    run.finish(applyFinish(outcome, sha));
    run.count(result.outcome);
  }

  return {
    async command(job, run, followUp) {
      const decision = await decide(job);
      run.log.info({ decision: decision.kind, command: job.command.name }, `/reconciler ${job.command.name}`);
      if (decision.kind === "reply") {
        await run.report("reply", () => github.reply(job.pullNumber, decision.text));
        run.finish({ outcome: decision.reason, summary: decision.text.split("\n")[0] });
        return run.count(decision.reason);
      }
      if (decision.kind === "plan")
        return followUp({
          kind: "plan",
          trigger: "comment",
          pullNumber: job.pullNumber,
          sha: decision.sha,
          isFork: decision.isFork,
        });
      if (decision.kind === "heal") {
        const text = options.heal
          ? await options.heal(job.pullNumber, job.commenter, run, followUp)
          : "`/reconciler heal` needs drift proposals (`drift.propose: true` in fabric.yaml).";
        // Healed: the apply ended the run.
        if (!text) return;
        await run.report("reply", () => github.reply(job.pullNumber, text));
        run.finish({ outcome: "heal-refused", summary: text });
        return run.count("heal-refused");
      }
      if (decision.kind === "unlock") {
        const text = await holdJobs.unlock(job.pullNumber, job.commenter);
        await run.report("reply", () => github.reply(job.pullNumber, text));
        run.finish({ outcome: "unlocked" });
        return run.count("unlocked");
      }
      return apply(job, run, decision);
    },

    current: holdJobs.current,
    concerns: holdJobs.concerns,
    gateBranchApply: holdJobs.gateBranchApply,
    release: holdJobs.release,
    settleDeferred: holdJobs.settleDeferred,

    async planNotes(pullNumber) {
      const current = await hold.current();
      if (!current || current.pullNumber === pullNumber) return [];
      return [
        `The fabric is held by #${current.pullNumber}: its change (${current.sha.slice(0, 7)}, applied by @${current.by}) is on the switches but not merged. This PR cannot be applied, nor \`${options.branch}\` after merging it, until #${current.pullNumber} is merged or closed; the plan below is against the switches as they are now.`,
      ];
    },
  };
}

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
import type { Job, RequestResult } from "./run-queue.ts";

type CommandJob = Extract<Job, { kind: "command" }>;
type ReleaseJob = Extract<Job, { kind: "release" }>;

/** What the command jobs need from the run that executes them (jobs.ts RunContext). */
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
  finish(fields: { outcome: string; summary?: string; sha?: string }): void;
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
  /** `/reconciler heal` on a drift proposal: the reply, or "" when the proposal PR was closed instead. */
  heal?: (pullNumber: number, by: string, run: CommandRun) => Promise<string>;
  /** Queues a plan (a `/reconciler plan`) or an apply (putting the switches back after a close). */
  request: (job: Job) => RequestResult;
}

export interface PullRequestWorkflow {
  command(job: CommandJob, run: CommandRun): Promise<void>;
  /** Whether the closed PR holds the fabric (else the close needs no run). */
  holds(pullNumber: number): Promise<boolean>;
  release(job: ReleaseJob, run: CommandRun): Promise<void>;
  /** Notes for a PR's plan comment: another PR holds the fabric. */
  planNotes(pullNumber: number): Promise<string[]>;
}

/** Comment commands, apply requirements and the fabric hold (pr-workflow/) wired to GitHub and the runner. */
export function createPullRequestWorkflow(options: PullRequestWorkflowOptions): PullRequestWorkflow {
  const { github, pulls, hold } = options;

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
      run.finish({ outcome: outcome.code, summary: outcome.message, sha });
      return run.count(outcome.code);
    }
    const result = outcome.result;
    // An open PR's change now runs on the switches without being in git: it holds the fabric until the
    // PR is merged or closed. A merged PR's apply is the tracked branch: nothing to hold.
    if (decision.target === "pull-head" && result.outcome !== "nothing-to-do") {
      const taken: Hold = {
        pullNumber: job.pullNumber,
        sha,
        by: job.commenter,
        runId: run.id,
        since: new Date().toISOString(),
      };
      await hold.take(taken);
    }
    const ok = result.outcome === "succeeded" || result.outcome === "nothing-to-do";
    await run.status(sha, "apply", ok ? "success" : "failure", rolloutOneLine(result), url);
    run.finish({ outcome: result.outcome, summary: rolloutOneLine(result), sha });
    run.count(result.outcome);
  }

  return {
    async command(job, run) {
      const decision = await decide(job);
      run.log.info({ decision: decision.kind, command: job.command.name }, `/reconciler ${job.command.name}`);
      if (decision.kind === "reply") {
        await run.report("reply", () => github.reply(job.pullNumber, decision.text));
        run.finish({ outcome: decision.reason, summary: decision.text.split("\n")[0] });
        return run.count(decision.reason);
      }
      if (decision.kind === "plan") {
        const queued = options.request({
          kind: "plan",
          trigger: "pull-request",
          pullNumber: job.pullNumber,
          sha: decision.sha,
          isFork: decision.isFork,
        });
        run.finish({ outcome: `plan-${queued}`, sha: decision.sha });
        return run.count(`plan-${queued}`);
      }
      if (decision.kind === "heal") {
        const text = options.heal
          ? await options.heal(job.pullNumber, job.commenter, run)
          : "`/reconciler heal` needs drift proposals (`drift.propose: true` in fabric.yaml).";
        if (text) await run.report("reply", () => github.reply(job.pullNumber, text));
        run.finish({ outcome: text ? "heal-refused" : "healing" });
        return run.count(text ? "heal-refused" : "healing");
      }
      if (decision.kind === "unlock") {
        await hold.release(job.pullNumber);
        await run.report("reply", () =>
          github.reply(
            job.pullNumber,
            `@${job.commenter} released this PR's hold on the fabric. The switches keep its change until the next apply of \`${options.branch}\` (a merge, or \`/reconciler apply\` on a merged PR).`,
          ),
        );
        run.finish({ outcome: "unlocked" });
        return run.count("unlocked");
      }
      return apply(job, run, decision);
    },

    holds: async (pullNumber) => (await hold.current())?.pullNumber === pullNumber,

    async release(job, run) {
      await hold.release(job.pullNumber);
      if (job.merged) {
        run.finish({ outcome: "released", summary: `#${job.pullNumber} merged: its hold is released` });
        return run.count("released");
      }
      // Closed unmerged: its change must leave the switches. The tracked branch goes back on through
      // the normal rollout (an apply job), even though that revision was applied before.
      const sha = options.headOf ? await options.headOf() : undefined;
      const queued = sha
        ? options.request({ kind: "apply", trigger: "pull-request", sha, force: true })
        : "closed";
      await run.report("reply", () =>
        github.reply(
          job.pullNumber,
          sha
            ? `Closed without merging: its hold on the fabric is released, and the switches go back to \`${options.branch}\` (${sha.slice(0, 7)}).`
            : `Closed without merging: its hold on the fabric is released. Apply \`${options.branch}\` to take its change off the switches.`,
        ),
      );
      run.finish({ outcome: "released", summary: `#${job.pullNumber} closed: revert ${queued}` });
      run.count("released");
    },

    async planNotes(pullNumber) {
      const current = await hold.current();
      if (!current || current.pullNumber === pullNumber) return [];
      return [
        `The fabric is held by #${current.pullNumber}: its change (${current.sha.slice(0, 7)}, applied by @${current.by}) is on the switches but not merged. This PR cannot be applied until #${current.pullNumber} is merged or closed; the plan below is against the switches as they are now.`,
      ];
    },
  };
}

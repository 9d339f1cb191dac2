import { createHash, randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { DriftReport } from "../drift/types.ts";
import { redactSecrets } from "../eos/index.ts";
import { frozenStatusLine } from "../freeze/index.ts";
import type { CheckName, GithubReporter, StatusState } from "../github/index.ts";
import { heldHealMessage, heldStatusLine } from "../pr-workflow/index.ts";
import type { FabricRunner, RunRefusal } from "../reconcile/types.ts";
import { rolloutOneLine } from "../report/markdown.ts";
import { plural, renderDriftText, renderPlanText, renderRolloutText, styleFor } from "../report/text.ts";
import type { FabricStatus } from "../status/index.ts";
import type { PullRequestWorkflow } from "./command-jobs.ts";
import type { DriftProposals } from "./drift-proposals.ts";
import type { ServiceMetrics } from "./metrics.ts";
import type { RecentRuns } from "./recent-runs.ts";
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

const plain = styleFor(false);

function refusalText(refusal: RunRefusal): string {
  const errors = (refusal.errors ?? []).map(
    (e) =>
      `${e.position.file}:${e.position.line}:${e.position.col}: error[${e.code}]: ${e.message}\n  hint: ${e.hint}`,
  );
  return [`refused (${refusal.code}): ${refusal.message}`, ...errors].join("\n");
}

const FULL_SHA = /^[0-9a-f]{40}$/;

/** What one run's steps share: its logger, and GitHub and metrics calls bound to it. */
interface RunContext {
  id: string;
  log: Logger;
  /** Link to this run's page on the status page, when the service knows its public address. */
  pageUrl?: string;
  /** A commit status's link: the run's page where a public address is configured, else the comment. */
  linkFor(commentUrl: string | undefined): string | undefined;
  /** Records the run's end and full report for the status page. */
  finish(fields: {
    outcome: string;
    summary?: string;
    report?: string;
    sha?: string;
    devices?: string[];
  }): void;
  /** Calls GitHub; a failure is logged and counted, never thrown (GitHub shows results, it does not gate runs). */
  report<T>(operation: string, call: () => Promise<T>): Promise<T | undefined>;
  status(sha: string, check: CheckName, state: StatusState, text: string, url?: string): Promise<void>;
  /** Whether any GitHub call of this run failed. */
  reportFailed(): boolean;
  /** Ends the run: metrics and a log line with its outcome. */
  count(outcome: string): void;
  /** The XMPP gauge, as far as this run could tell. */
  reachable(refusal?: RunRefusal): void;
}

/** Runs one queued job against the FabricRunner and reports it to GitHub, logs and metrics. */
export function createJobExecutor(options: JobExecutorOptions): (job: Job) => Promise<void> {
  const { runner, github, metrics } = options;
  const newRunId = options.newRunId ?? (() => randomUUID().slice(0, 8));
  let lastAppliedHead: string | undefined;
  let lastDrift: string | undefined;

  const contextFor = (job: Job): RunContext => {
    const runId = newRunId();
    const log = options.logger.child({ runId, kind: job.kind, trigger: job.trigger });
    options.recent?.start({
      id: runId,
      kind: job.kind,
      trigger: job.trigger,
      sha: "sha" in job ? job.sha : undefined,
      pullNumber: "pullNumber" in job ? job.pullNumber : undefined,
    });
    const done = metrics.runDuration.startTimer({ kind: job.kind });
    let failed = false;
    const report = async <T>(operation: string, call: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await call();
      } catch (error) {
        failed = true;
        const status = String((error as { status?: number }).status ?? "none");
        metrics.githubErrors.inc({ operation, status });
        log.error(
          { operation, status, err: error },
          `github ${operation} failed (HTTP ${status}); the run goes on`,
        );
        return undefined;
      }
    };
    return {
      id: runId,
      log,
      get pageUrl() {
        return options.publicUrl ? `${options.publicUrl.replace(/\/$/, "")}/runs/${runId}` : undefined;
      },
      linkFor(commentUrl) {
        return options.statusesLinkToPage ? (this.pageUrl ?? commentUrl) : (commentUrl ?? this.pageUrl);
      },
      finish: (fields) => options.recent?.finish(runId, fields),
      report,
      async status(sha, check, state, text, url) {
        if (FULL_SHA.test(sha))
          await report(`status ${check}`, () => github.setStatus(sha, check, state, text, url));
      },
      reportFailed: () => failed,
      count(outcome) {
        metrics.runs.inc({ kind: job.kind, trigger: job.trigger, outcome });
        log.info({ outcome, seconds: done() }, `${job.kind} run ended: ${outcome}`);
      },
      reachable: (refusal) => metrics.xmppConnected.set(refusal?.code === "unreachable" ? 0 : 1),
    };
  };

  async function plan(job: Extract<Job, { kind: "plan" }>, run: RunContext): Promise<void> {
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
  }

  async function apply(job: Extract<Job, { kind: "apply" }>, run: RunContext): Promise<void> {
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
    lastAppliedHead = sha;
    await run.status(sha, "apply", "pending", "applying to the switches");
    const outcome = await runner.apply({ runId: run.id, trigger: job.trigger, rev: sha });
    const url = run.linkFor(
      await run.report("apply comment", () => github.commentApply(sha, outcome, run.id)),
    );
    run.reachable(outcome.ok ? undefined : outcome);
    if (!outcome.ok) {
      run.finish({ outcome: outcome.code, summary: outcome.message, report: refusalText(outcome), sha });
      const state = outcome.code === "invalid-input" ? "failure" : "error";
      const text = outcome.freeze ? frozenStatusLine(outcome.freeze) : outcome.message;
      await run.status(sha, "apply", state, text, url);
      if (job.deferred) await options.workflow?.settleDeferred(job.deferred, sha, run, { state, text, url });
      return run.count(outcome.code);
    }
    const result = outcome.result;
    options.status?.observeApply(outcome.plan, result, { runId: run.id, url });
    const ok = result.outcome === "succeeded" || result.outcome === "nothing-to-do";
    if (ok) metrics.lastSuccessfulApply.set(Date.now() / 1000);
    run.finish({
      outcome: result.outcome,
      summary: rolloutOneLine(result),
      report: `${renderPlanText(outcome.plan, plain, redactSecrets)}\n${renderRolloutText(result, plain)}`,
      sha,
      devices: result.devices.map((d) => d.device),
    });
    await run.status(sha, "apply", ok ? "success" : "failure", rolloutOneLine(result), url);
    if (job.deferred) {
      const settled = {
        state: ok ? ("success" as const) : ("failure" as const),
        text: rolloutOneLine(result),
        url,
      };
      await options.workflow?.settleDeferred(job.deferred, sha, run, settled);
    }
    run.count(result.outcome);
  }

  async function drift(job: Extract<Job, { kind: "drift" }>, run: RunContext): Promise<void> {
    // Scheduled drift compares against the tracked branch head (from git), never a working tree.
    const head = options.headOf ? await options.headOf() : undefined;
    // While a PR's applied change holds the fabric, that change is drift against the head: healing it
    // would take it off the switches, and proposing to adopt it would write an unmerged PR into git.
    const holding = await options.workflow?.current();
    const outcome = await runner.drift({
      runId: run.id,
      trigger: job.trigger,
      heal: job.heal,
      rev: head,
      ...(options.proposals && !holding ? { propose: true } : {}),
      ...(holding
        ? { healBlocked: { code: "held" as const, message: heldHealMessage(holding, options.branch) } }
        : {}),
    });
    run.reachable(outcome.ok ? undefined : outcome);
    if (!outcome.ok) {
      run.finish({ outcome: outcome.code, summary: outcome.message, report: refusalText(outcome) });
      return run.count(outcome.code);
    }
    const report: DriftReport = holding
      ? {
          ...outcome.report,
          held: { pullNumber: holding.pullNumber, sha: holding.sha, by: holding.by, since: holding.since },
        }
      : outcome.report;
    options.status?.observeDrift(report);
    await options.proposals?.afterDrift(report, outcome.adoption, run);
    const drifted = report.devices.filter((d) => d.status === "drifted").length;
    run.finish({
      outcome: drifted > 0 ? "drift" : "in-sync",
      summary: drifted > 0 ? `${plural(drifted, "switch", "switches")} drifted` : "no drift",
      report: renderDriftText(report, plain),
      sha: report.revision.sha,
      devices: report.devices.map((d) => d.device),
    });
    metrics.switchesInDrift.set(drifted);
    // Report only on change or recovery, so a PR is not commented on every tick (STYLE).
    const fingerprint = driftFingerprint(report);
    if (fingerprint !== lastDrift && (drifted > 0 || lastDrift !== undefined)) {
      const url = run.linkFor(await run.report("drift report", () => github.reportDrift(report)));
      const notHealed = report.healRefused ? `; not healed (${report.healRefused.code})` : "";
      const text =
        drifted > 0
          ? `${plural(drifted, "switch", "switches")} drifted from this revision${notHealed}`
          : "no drift";
      await run.status(report.revision.sha, "drift", drifted > 0 ? "failure" : "success", text, url);
      // When GitHub failed, the next check reports again.
      if (!run.reportFailed()) lastDrift = fingerprint;
    }
    run.count(drifted > 0 ? "drift" : "in-sync");
  }

  return async (job) => {
    // Most closed PRs hold nothing: that is no run worth showing.
    if (
      job.kind === "release" &&
      !(await options.workflow?.concerns(job)) &&
      !(await options.proposals?.isProposal(job.pullNumber))
    )
      return;
    const run = contextFor(job);
    run.log.info({ job }, `${job.kind} run started`);
    try {
      if (job.kind === "plan") await plan(job, run);
      else if (job.kind === "apply") await apply(job, run);
      else if (job.kind === "drift") await drift(job, run);
      else if (job.kind === "command") await options.workflow?.command(job, run);
      else if (await options.proposals?.isProposal(job.pullNumber)) {
        await options.proposals!.closed(job.pullNumber, job.merged, job.closedBy, run);
        run.finish({ outcome: job.merged ? "adopted" : "proposal-closed" });
        run.count(job.merged ? "adopted" : "proposal-closed");
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

function driftFingerprint(report: DriftReport): string {
  const hash = createHash("sha256");
  for (const d of report.devices) {
    if (d.status === "drifted") hash.update(`${d.device}\n${d.diff ?? ""}\n`);
  }
  return hash.digest("hex");
}

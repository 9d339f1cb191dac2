import type { Logger } from "pino";
import { redactSecrets } from "../eos/index.ts";
import type { CheckName, GithubReporter, StatusState } from "../github/index.ts";
import type { ApplyOutcome, RunRefusal } from "../reconcile/types.ts";
import { rolloutOneLine } from "../report/markdown.ts";
import { renderPlanText, renderRolloutText, styleFor } from "../report/text.ts";
import type { ServiceMetrics } from "./metrics.ts";
import type { RecentRuns } from "./recent-runs.ts";
import type { Job } from "./run-queue.ts";

/** What one run's steps share: its logger, and GitHub and metrics calls bound to it. */
export interface RunContext {
  id: string;
  log: Logger;
  /** Link to this run's page on the status page, when the service knows its public address. */
  pageUrl?: string;
  /** A commit status's link: the run's page where a public address is configured, else the comment. */
  linkFor(commentUrl: string | undefined): string | undefined;
  /** Records the run's end and full report for the status page. */
  finish(fields: RunFinish): void;
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

/** What the status page keeps of a run's end. */
export interface RunFinish {
  outcome: string;
  summary?: string;
  report?: string;
  sha?: string;
  devices?: string[];
}

export interface RunContextOptions {
  github: GithubReporter;
  metrics: ServiceMetrics;
  logger: Logger;
  recent?: RecentRuns;
  publicUrl?: string;
  statusesLinkToPage?: boolean;
}

const FULL_SHA = /^[0-9a-f]{40}$/;

/** Starts the run of `job` under `runId`: on the status page, in the metrics, with its own logger. */
export function createRunContext(options: RunContextOptions, job: Job, runId: string): RunContext {
  const { github, metrics } = options;
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
}

/** A refusal as the status page's report shows it: the reason, then each input error with its place. */
export function refusalText(refusal: RunRefusal): string {
  const errors = (refusal.errors ?? []).map(
    (e) =>
      `${e.position.file}:${e.position.line}:${e.position.col}: error[${e.code}]: ${e.message}\n  hint: ${e.hint}`,
  );
  return [`refused (${refusal.code}): ${refusal.message}`, ...errors].join("\n");
}

const plain = styleFor(false);

/**
 * An apply's end as the status page shows it, whatever started it (a push, a merge, a comment): the
 * plan and rollout as the terminal prints them, or the refusal.
 */
export function applyFinish(outcome: ApplyOutcome, sha: string): RunFinish {
  if (!outcome.ok)
    return { outcome: outcome.code, summary: outcome.message, report: refusalText(outcome), sha };
  const { plan, result } = outcome;
  return {
    outcome: result.outcome,
    summary: rolloutOneLine(result),
    report: `${renderPlanText(plan, plain, redactSecrets)}\n${renderRolloutText(result, plain)}`,
    sha,
    devices: result.devices.map((d) => d.device),
  };
}

import { createHash, randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { DriftReport } from "../drift/types.ts";
import type { CheckName, GithubReporter, StatusState } from "../github/index.ts";
import type { FabricRunner, RunRefusal } from "../reconcile/types.ts";
import { rolloutOneLine } from "../report/markdown.ts";
import type { ServiceMetrics } from "./metrics.ts";
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
  /** Links statuses to a page of the service when there is no comment to link to. */
  reportUrl?: (runId: string) => string | undefined;
  newRunId?: () => string;
}

const FULL_SHA = /^[0-9a-f]{40}$/;

/** Runs one queued job against the FabricRunner and reports it to GitHub, logs and metrics. */
export function createJobExecutor(options: JobExecutorOptions): (job: Job) => Promise<void> {
  const { runner, github, metrics } = options;
  const newRunId = options.newRunId ?? (() => randomUUID().slice(0, 8));
  let lastAppliedHead: string | undefined;
  let lastDrift: string | undefined;

  return async (job) => {
    const runId = newRunId();
    const log = options.logger.child({ runId, kind: job.kind, trigger: job.trigger });
    // GitHub is where results are shown, not where switches are changed: a failure to report is
    // logged and counted, and never stops or repeats a run.
    let reportFailed = false;
    const report = async <T>(operation: string, call: () => Promise<T>): Promise<T | undefined> => {
      try {
        return await call();
      } catch (error) {
        reportFailed = true;
        const status = String((error as { status?: number }).status ?? "none");
        metrics.githubErrors.inc({ operation, status });
        log.error(
          { operation, status, err: error },
          `github ${operation} failed (HTTP ${status}); the run goes on`,
        );
        return undefined;
      }
    };
    const status = (sha: string, check: CheckName, state: StatusState, text: string, url?: string) =>
      FULL_SHA.test(sha)
        ? report(`status ${check}`, () => github.setStatus(sha, check, state, text, url))
        : undefined;
    const done = metrics.runDuration.startTimer({ kind: job.kind });
    const count = (outcome: string) => {
      metrics.runs.inc({ kind: job.kind, trigger: job.trigger, outcome });
      const seconds = done();
      log.info({ outcome, seconds }, `${job.kind} run ended: ${outcome}`);
    };
    const reachable = (refusal?: RunRefusal) =>
      metrics.xmppConnected.set(refusal?.code === "unreachable" ? 0 : 1);

    log.info({ job }, `${job.kind} run started`);
    try {
      if (job.kind === "plan") {
        await status(job.sha, "validate", "pending", "validating the desired state");
        await status(job.sha, "plan", "pending", "planning against the switches");
        const outcome = await runner.plan({
          trigger: job.trigger,
          rev: job.sha,
          ...(job.isFork ? { planOnly: true } : {}),
        });
        const url = await report("plan comment", () => github.commentPlan(job.pullNumber, outcome));
        if (!outcome.ok) {
          if (outcome.code === "invalid-input") {
            await status(job.sha, "validate", "failure", outcome.message, url);
            await status(job.sha, "plan", "failure", "not planned: the desired state is invalid", url);
          } else {
            await status(job.sha, "validate", "success", "the desired state is valid", url);
            await status(job.sha, "plan", "error", outcome.message, url);
          }
          reachable(outcome);
          return count(outcome.code);
        }
        reachable();
        const s = outcome.plan.summary;
        await status(job.sha, "validate", "success", "the desired state is valid", url);
        const text =
          s.changed === 0
            ? `no changes; ${s.inSync} switches in sync`
            : `${s.changed} switches change in ${s.batches} batches; ${s.inSync} in sync`;
        const problems = s.unreachable + s.errors;
        await status(
          job.sha,
          "plan",
          problems > 0 ? "failure" : "success",
          problems > 0 ? `${text}; ${problems} switches could not be planned` : text,
          url,
        );
        return count(problems > 0 ? "incomplete" : s.changed > 0 ? "changes" : "no-changes");
      }

      if (job.kind === "apply") {
        const sha = options.headOf ? await options.headOf() : job.sha;
        if (sha !== job.sha)
          log.info({ pushed: job.sha, head: sha }, "the branch moved on; applying its head");
        if (sha === lastAppliedHead) {
          log.info({ sha }, "the head was applied already");
          return count("duplicate");
        }
        lastAppliedHead = sha;
        await status(sha, "apply", "pending", "applying to the switches");
        const outcome = await runner.apply({ trigger: job.trigger, rev: sha });
        const url = await report("apply comment", () => github.commentApply(sha, outcome));
        if (!outcome.ok) {
          await status(
            sha,
            "apply",
            outcome.code === "invalid-input" ? "failure" : "error",
            outcome.message,
            url,
          );
          reachable(outcome);
          return count(outcome.code);
        }
        reachable();
        const result = outcome.result;
        const ok = result.outcome === "succeeded" || result.outcome === "nothing-to-do";
        if (ok) metrics.lastSuccessfulApply.set(Date.now() / 1000);
        await status(
          sha,
          "apply",
          ok ? "success" : "failure",
          rolloutOneLine(result),
          url ?? options.reportUrl?.(result.runId),
        );
        return count(result.outcome);
      }

      const outcome = await runner.drift({ trigger: job.trigger, heal: job.heal });
      if (!outcome.ok) {
        reachable(outcome);
        return count(outcome.code);
      }
      reachable();
      const drifted = outcome.report.devices.filter((d) => d.status === "drifted");
      metrics.switchesInDrift.set(drifted.length);
      // Report only on change or recovery, so a PR is not commented on every tick (STYLE).
      const fingerprint = driftFingerprint(outcome.report);
      if (fingerprint !== lastDrift && (drifted.length > 0 || lastDrift !== undefined)) {
        const url = await report("drift report", () => github.reportDrift(outcome.report));
        const sha = outcome.report.revision.sha;
        await status(
          sha,
          "drift",
          drifted.length > 0 ? "failure" : "success",
          drifted.length > 0 ? `${drifted.length} switches drifted from this revision` : "no drift",
          url,
        );
        // When GitHub failed, the next check reports again.
        if (!reportFailed) lastDrift = fingerprint;
      }
      return count(drifted.length > 0 ? "drift" : "in-sync");
    } catch (error) {
      log.error({ err: error }, `${job.kind} run failed unexpectedly`);
      count("error");
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

import { createHash } from "node:crypto";
import type { DriftReport } from "../drift/types.ts";
import type { GithubReporter } from "../github/index.ts";
import { heldHealMessage } from "../pr-workflow/index.ts";
import type { FabricRunner } from "../reconcile/types.ts";
import { plural, renderDriftText, styleFor } from "../report/text.ts";
import type { FabricStatus } from "../status/index.ts";
import type { PullRequestWorkflow } from "./command-jobs.ts";
import type { DriftProposals } from "./drift-proposals.ts";
import type { ServiceMetrics } from "./metrics.ts";
import { type RunContext, refusalText } from "./run-context.ts";
import type { Job } from "./run-queue.ts";

export type DriftJob = Extract<Job, { kind: "drift" }>;

export interface DriftJobOptions {
  runner: FabricRunner;
  github: GithubReporter;
  metrics: ServiceMetrics;
  headOf?: () => Promise<string>;
  status?: FabricStatus;
  /** While a PR holds the fabric, drift is not healed nor proposed. */
  workflow?: Pick<PullRequestWorkflow, "current">;
  proposals?: DriftProposals;
  /** The tracked branch, as messages name it. */
  branch?: string;
}

const plain = styleFor(false);

/**
 * A scheduled drift check of the tracked branch head: healed or proposed where the fabric allows,
 * reported to GitHub only when the drift changed or recovered.
 */
export function createDriftJob(options: DriftJobOptions): (job: DriftJob, run: RunContext) => Promise<void> {
  const { runner, github, metrics } = options;
  let lastDrift: string | undefined;
  return async (job, run) => {
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
  };
}

function driftFingerprint(report: DriftReport): string {
  const hash = createHash("sha256");
  for (const d of report.devices) {
    if (d.status === "drifted") hash.update(`${d.device}\n${d.diff ?? ""}\n`);
  }
  return hash.digest("hex");
}

import type { DriftReport } from "../drift/types.ts";
import type { ApplyOutcome, PlanOutcome } from "../reconcile/types.ts";
import {
  GITHUB_COMMENT_LIMIT,
  renderDriftMarkdown,
  renderPlanMarkdown,
  renderRefusalMarkdown,
  renderRolloutMarkdown,
} from "../report/markdown.ts";
import type { GithubClient } from "./client.ts";
import { type CheckName, type StatusState, setCommitStatus } from "./commit-status.ts";
import { findDriftTargets, standingIssue } from "./drift-target.ts";
import { stickyMarker, upsertStickyComment } from "./sticky-comment.ts";

/**
 * Everything the reconciler tells GitHub. Each method returns the address of what it wrote (a
 * comment), so the commit status can link to the full report.
 */
export interface GithubReporter {
  setStatus(
    sha: string,
    check: CheckName,
    state: StatusState,
    description: string,
    targetUrl?: string,
  ): Promise<void>;
  /**
   * The PR's one sticky plan comment (or the reason it could not be planned); `notes` go above it
   * (the fabric is held by another PR …).
   */
  commentPlan(
    pullNumber: number,
    outcome: PlanOutcome,
    runId?: string,
    notes?: string[],
  ): Promise<string | undefined>;
  /**
   * The outcome per switch, on the PR that was merged as `sha` (nothing when no PR made it), or on
   * `pullNumber` when a comment applied that PR's head before merge.
   */
  commentApply(
    sha: string,
    outcome: ApplyOutcome,
    runId?: string,
    pullNumber?: number,
  ): Promise<string | undefined>;
  /** A new comment answering a `/reconciler` command. */
  reply(pullNumber: number, text: string): Promise<string | undefined>;
  /** On the PRs that last changed the drifting switches, or on the standing drift issue. */
  reportDrift(report: DriftReport): Promise<string | undefined>;
  /** A PR from a pushed branch into the tracked branch (an event's change), body redacted; absent without GitHub. */
  openPullRequest?(pr: {
    branch: string;
    title: string;
    body: string;
  }): Promise<{ number: number; url: string }>;
}

export interface GithubReporterOptions {
  client: GithubClient;
  /** "owner/name" */
  repo: string;
  /** The tracked branch (drift targets are looked up in its history). */
  branch: string;
  driftIssueTitle: string;
  /** Masks secrets in every config line shown (EOS redactSecrets, or the process redactor's redact). */
  redact: (text: string) => string;
  /**
   * The process's one redaction step for whole texts (Redactor.redactValues): every comment body and
   * status description passes it, so no secret value the process holds reaches GitHub. Default: none.
   */
  redactValues?: (text: string) => string;
  /** Only comments by this login count as ours; e.g. "github-actions[bot]", "my-app[bot]". */
  commentAuthor?: string;
  /** The files that define a switch; default its device file, its groups' files and fabric.yaml. */
  deviceFiles?: (device: string) => string[];
  /** The run's page on the status page: named in folded comments and linked under every comment. */
  reportUrl?: (runId: string) => string | undefined;
}

export function createGithubReporter(options: GithubReporterOptions): GithubReporter {
  const { client, redact } = options;
  const whole = options.redactValues ?? ((text: string) => text);
  const [owner = "", repo = ""] = options.repo.split("/");
  if (!owner || !repo) throw new Error(`github repo must be "owner/name", got "${options.repo}"`);
  const author = options.commentAuthor ? { author: options.commentAuthor } : {};
  // The marker line and a margin come out of GitHub's limit.
  const budget = GITHUB_COMMENT_LIMIT - stickyMarker("apply").length - 2_000;
  const filesOf =
    (membership: Record<string, string[]> | undefined) =>
    (device: string): string[] =>
      options.deviceFiles?.(device) ?? [
        `devices/${device}.yaml`,
        ...(membership?.[device] ?? []).map((group) => `groups/${group}.yaml`),
        "fabric.yaml",
      ];
  const markdown = (runId?: string) => ({
    redact,
    redactValues: whole,
    budget,
    reportUrl: runId ? options.reportUrl?.(runId) : undefined,
  });
  // The same run id as the journal and the status page, so a comment leads to the whole run.
  const linked = (body: string, runId?: string) => {
    const url = runId ? options.reportUrl?.(runId) : undefined;
    return url ? `${body}\n\n<sub>Run [\`${runId}\`](${url}) on the status page.</sub>` : body;
  };

  const mergedAs = async (sha: string) => {
    const { data: pulls } = await client.rest.repos.listPullRequestsAssociatedWithCommit({
      owner,
      repo,
      commit_sha: sha,
    });
    return pulls.find((p) => p.merged_at !== null);
  };

  return {
    async setStatus(sha, check, state, description, targetUrl) {
      await setCommitStatus(client, {
        owner,
        repo,
        sha,
        check,
        state,
        description: whole(description),
        targetUrl,
      });
    },

    async commentPlan(pullNumber, outcome, runId, notes = []) {
      const above = notes.map((note) => `> [!WARNING]\n> ${note}\n\n`).join("");
      const body = linked(
        above +
          (outcome.ok
            ? renderPlanMarkdown(outcome.plan, markdown(runId))
            : renderRefusalMarkdown(outcome, "Plan", markdown(runId))),
        runId,
      );
      const target = { owner, repo, issueNumber: pullNumber, key: "plan" };
      return (await upsertStickyComment(client, target, whole(body), author)).url;
    },

    async commentApply(sha, outcome, runId, pullNumber) {
      const merged = pullNumber !== undefined ? { number: pullNumber } : await mergedAs(sha);
      if (!merged) return undefined;
      const id = outcome.ok ? outcome.result.runId : runId;
      const body = linked(
        outcome.ok
          ? renderRolloutMarkdown(outcome.result, markdown(id))
          : renderRefusalMarkdown(outcome, "Apply", markdown(id)),
        id,
      );
      const target = { owner, repo, issueNumber: merged.number, key: `apply-${sha}` };
      return (await upsertStickyComment(client, target, whole(body), author)).url;
    },

    async reply(pullNumber, text) {
      // Marked like every comment of ours, so the webhook never reads a reply as a command.
      const { data } = await client.rest.issues.createComment({
        owner,
        repo,
        issue_number: pullNumber,
        body: `${stickyMarker("reply")}\n${text}`,
      });
      return data.html_url;
    },

    async openPullRequest(pr) {
      const { data } = await client.rest.pulls.create({
        owner,
        repo,
        head: pr.branch,
        base: options.branch,
        title: redact(pr.title),
        body: redact(pr.body),
      });
      return { number: data.number, url: data.html_url };
    },

    async reportDrift(report) {
      const drifted = report.devices.filter((d) => d.status === "drifted").map((d) => d.device);
      const target = (issueNumber: number) => ({ owner, repo, issueNumber, key: "drift" });
      if (drifted.length === 0) {
        // Recovery: say so where drift was reported without a PR, if that issue exists.
        const issue = await standingIssue(client, owner, repo, options.driftIssueTitle, false);
        if (issue === 0) return undefined;
        const body = linked(renderDriftMarkdown(report, markdown(report.runId)), report.runId);
        return (await upsertStickyComment(client, target(issue), whole(body), author)).url;
      }
      const targets = await findDriftTargets(client, {
        owner,
        repo,
        branch: options.branch,
        files: Object.fromEntries(drifted.map((d) => [d, filesOf(report.membership)(d)])),
        issueTitle: options.driftIssueTitle,
      });
      const byIssue = new Map<number, string[]>();
      for (const [device, t] of targets) byIssue.set(t.number, [...(byIssue.get(t.number) ?? []), device]);
      let url: string | undefined;
      for (const [issueNumber, devices] of byIssue) {
        // This target's drifted switches; the in-sync ones keep the counts honest.
        const part = {
          ...report,
          devices: report.devices.filter((d) => devices.includes(d.device) || d.status === "in-sync"),
        };
        const body = linked(renderDriftMarkdown(part, markdown(report.runId)), report.runId);
        const written = await upsertStickyComment(client, target(issueNumber), whole(body), author);
        url ??= written.url;
      }
      return url;
    },
  };
}

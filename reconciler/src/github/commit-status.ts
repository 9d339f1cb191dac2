import type { GithubClient } from "./client.ts";

/** The checks the reconciler reports as commit statuses, with context `reconciler/<check>`. */
export type CheckName = "validate" | "plan" | "apply" | "drift";
export type StatusState = "pending" | "success" | "failure" | "error";

export interface CommitStatusInput {
  owner: string;
  repo: string;
  sha: string;
  check: CheckName;
  state: StatusState;
  description: string;
  /** The full report: the PR comment, a CI run, the service's page. */
  targetUrl?: string;
}

/** GitHub shows one line and truncates long descriptions (Argo CD notes 140 characters). */
const DESCRIPTION_MAX = 140;

export function statusContext(check: CheckName): string {
  return `reconciler/${check}`;
}

export function oneLine(text: string, max = DESCRIPTION_MAX): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

export async function setCommitStatus(client: GithubClient, input: CommitStatusInput): Promise<void> {
  await client.rest.repos.createCommitStatus({
    owner: input.owner,
    repo: input.repo,
    sha: input.sha,
    state: input.state,
    context: statusContext(input.check),
    description: oneLine(input.description),
    ...(input.targetUrl ? { target_url: input.targetUrl } : {}),
  });
}

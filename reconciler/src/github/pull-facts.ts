import { type Permission, type PullFacts, permissionFrom } from "../pr-workflow/index.ts";
import type { GithubClient } from "./client.ts";

/** What the PR workflow reads from GitHub when a command arrives. */
export interface PullRequestReader {
  /** The PR, its reviews, and how far its head is behind the tracked branch. */
  facts(pullNumber: number, branch: string): Promise<PullFacts>;
  /** A user's role on the repository (none when they are no collaborator). */
  permissionOf(login: string): Promise<Permission>;
}

export function createPullRequestReader(client: GithubClient, fullName: string): PullRequestReader {
  const [owner = "", repo = ""] = fullName.split("/");
  return {
    async facts(pullNumber, branch) {
      const { data: pull } = await client.rest.pulls.get({ owner, repo, pull_number: pullNumber });
      const reviews = await client.paginate(client.rest.pulls.listReviews, {
        owner,
        repo,
        pull_number: pullNumber,
        per_page: 100,
      });
      // behind_by counts the tracked branch's commits that the head lacks ("up-to-date").
      const { data: compare } = await client.rest.repos.compareCommitsWithBasehead({
        owner,
        repo,
        basehead: `${branch}...${pull.head.sha}`,
        per_page: 1,
      });
      return {
        number: pull.number,
        author: pull.user.login,
        headSha: pull.head.sha,
        headRepo: pull.head.repo?.full_name,
        baseRepo: pull.base.repo.full_name,
        baseRef: pull.base.ref,
        state: pull.state === "closed" ? "closed" : "open",
        merged: pull.merged,
        mergeable: pull.mergeable,
        labels: pull.labels.map((l) => l.name),
        behindBy: compare.behind_by,
        reviews: reviews.map((r) => ({
          user: r.user?.login ?? "",
          state: r.state,
          commitId: r.commit_id ?? "",
        })),
      };
    },
    async permissionOf(login) {
      try {
        const { data } = await client.rest.repos.getCollaboratorPermissionLevel({
          owner,
          repo,
          username: login,
        });
        return permissionFrom(data);
      } catch (error) {
        // GitHub answers 404 for a user who is no collaborator.
        if ((error as { status?: number }).status === 404) return "none";
        throw error;
      }
    },
  };
}

import type { GithubClient } from "./client.ts";
import { stickyMarker } from "./sticky-comment.ts";

/** The drift proposal's pull request: opened from the proposal branch, kept current, closed when done. */
export interface ProposalPulls {
  open(branch: string, title: string, body: string): Promise<number>;
  update(pullNumber: number, title: string, body: string): Promise<void>;
  /** Says why on the PR, then closes it. */
  close(pullNumber: number, comment: string): Promise<void>;
  comment(pullNumber: number, text: string): Promise<void>;
}

export function createProposalPulls(client: GithubClient, fullName: string, base: string): ProposalPulls {
  const [owner = "", repo = ""] = fullName.split("/");
  const comment = async (pullNumber: number, text: string) => {
    await client.rest.issues.createComment({
      owner,
      repo,
      issue_number: pullNumber,
      body: `${stickyMarker("reply")}\n${text}`,
    });
  };
  return {
    async open(branch, title, body) {
      const { data } = await client.rest.pulls.create({ owner, repo, head: branch, base, title, body });
      return data.number;
    },
    async update(pullNumber, title, body) {
      await client.rest.pulls.update({ owner, repo, pull_number: pullNumber, title, body });
    },
    async close(pullNumber, text) {
      await comment(pullNumber, text);
      await client.rest.pulls.update({ owner, repo, pull_number: pullNumber, state: "closed" });
    },
    comment,
  };
}

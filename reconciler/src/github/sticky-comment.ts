import type { GithubClient } from "./client.ts";

/** Where a sticky comment lives and which one it is: one per (issue or PR, key). */
export interface StickyTarget {
  owner: string;
  repo: string;
  issueNumber: number;
  /** "plan", "apply", "drift" … */
  key: string;
}

export interface StickyResult {
  id: number;
  url: string;
  action: "created" | "updated" | "unchanged";
}

/**
 * A hidden first line that marks our comment. The JSON leaves room for more fields later without
 * breaking the match (the dflook/terraform-github-actions pattern, reference/github.md §2.1).
 */
export function stickyMarker(key: string): string {
  return `<!-- fabric-reconciler ${JSON.stringify({ key })} -->`;
}

/**
 * Creates or updates the one comment with this key: found by its marker (and, when known, its
 * author, so a pasted marker cannot hijack it), updated in place, never duplicated. A duplicate
 * left by an earlier race is deleted. The body is not sent again when it did not change.
 */
export async function upsertStickyComment(
  client: GithubClient,
  target: StickyTarget,
  body: string,
  options: { author?: string } = {},
): Promise<StickyResult> {
  const marker = stickyMarker(target.key);
  const fullBody = `${marker}\n${body}`;
  const { owner, repo, issueNumber } = target;
  const comments = await client.paginate(client.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const ours = comments
    .filter((c) => c.body?.startsWith(marker) && (!options.author || c.user?.login === options.author))
    .sort((a, b) => b.id - a.id);
  const [newest, ...stale] = ours;
  for (const duplicate of stale) {
    await client.rest.issues.deleteComment({ owner, repo, comment_id: duplicate.id });
  }
  if (!newest) {
    const { data } = await client.rest.issues.createComment({
      owner,
      repo,
      issue_number: issueNumber,
      body: fullBody,
    });
    return { id: data.id, url: data.html_url, action: "created" };
  }
  if (newest.body === fullBody) return { id: newest.id, url: newest.html_url, action: "unchanged" };
  const { data } = await client.rest.issues.updateComment({
    owner,
    repo,
    comment_id: newest.id,
    body: fullBody,
  });
  return { id: data.id, url: data.html_url, action: "updated" };
}

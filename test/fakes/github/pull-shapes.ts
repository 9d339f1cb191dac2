/** A FakePull rendered as GitHub's pull-request shapes (the list item and the full object). */
import { type PullRequest, type PullRequestSimple, user } from "./shapes.ts";
import type { FakePull, RouteEnv } from "./state.ts";

export function simplePull(env: RouteEnv, fullName: string, p: FakePull): PullRequestSimple {
  return {
    id: p.number * 100,
    node_id: `PR_${p.number}`,
    url: `${env.base()}/repos/${fullName}/pulls/${p.number}`,
    html_url: `${env.base()}/${fullName}/pull/${p.number}`,
    number: p.number,
    state: p.state,
    title: p.title,
    merged_at: p.merged ? "2026-11-23T12:00:00Z" : null,
    user: user(p.author, 1, env.base()),
    head: { sha: p.headSha, ref: p.headRef, label: `${p.headRepo.split("/")[0]}:${p.headRef}` },
    base: { sha: "0".repeat(40), ref: p.baseRef, label: `${fullName.split("/")[0]}:${p.baseRef}` },
  };
}

export function fullPull(env: RouteEnv, fullName: string, p: FakePull): PullRequest {
  const simple = simplePull(env, fullName, p);
  return {
    ...simple,
    state: p.state,
    user: user(p.author, 1, env.base()),
    merged: p.merged,
    mergeable: p.mergeable,
    labels: p.labels.map((name, i) => ({
      id: i + 1,
      node_id: `LA_${i}`,
      name,
      color: "ededed",
      default: false,
    })),
    head: { ...simple.head, repo: { full_name: p.headRepo } },
    base: { ...simple.base, repo: { full_name: fullName } },
  };
}

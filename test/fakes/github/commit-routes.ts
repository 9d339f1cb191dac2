/** The default branch's commits (optionally by path) and the PRs each commit belongs to. */
import { simplePull } from "./pull-shapes.ts";
import { page } from "./replies.ts";
import type { Commit } from "./shapes.ts";
import type { Route, RouteEnv } from "./state.ts";

export function commitRoutes(env: RouteEnv): Route[] {
  return [
    [
      "GET",
      /^\/repos\/([^/]+\/[^/]+)\/commits$/,
      ({ params, query }) => {
        const path = query.get("path");
        const all = env.repo(params[0]!).commits;
        const commits = [...all]
          .reverse()
          .filter((c) => !path || c.paths.includes(path))
          .map(
            (c): Commit => ({
              url: `${env.base()}/repos/${params[0]}/commits/${c.sha}`,
              sha: c.sha,
              node_id: `C_${c.sha.slice(0, 8)}`,
              html_url: `${env.base()}/${params[0]}/commit/${c.sha}`,
              comments_url: `${env.base()}/repos/${params[0]}/commits/${c.sha}/comments`,
              commit: {
                // one minute apart, in the order they were added: what GitHub's dates would say
                committer: { date: new Date(Date.UTC(2026, 10, 1) + all.indexOf(c) * 60_000).toISOString() },
                message: c.message,
                url: `${env.base()}/repos/${params[0]}/git/commits/${c.sha}`,
                comment_count: 0,
              },
            }),
          );
        return page(env, commits, query, `/repos/${params[0]}/commits`);
      },
    ],
    [
      "GET",
      /^\/repos\/([^/]+\/[^/]+)\/commits\/([0-9a-f]{40})\/pulls$/,
      ({ params, query }) => {
        const state = env.repo(params[0]!);
        const commit = state.commits.find((c) => c.sha === params[1]);
        const pulls = (commit?.pulls ?? [])
          .map((n) => state.pulls.get(n))
          .filter((p) => p !== undefined)
          .map((p) => simplePull(env, params[0]!, p));
        return page(env, pulls, query, `/repos/${params[0]}/commits/${params[1]}/pulls`);
      },
    ],
  ];
}

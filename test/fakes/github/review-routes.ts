/** What the apply requirements read: reviews, a collaborator's permission, compare (behind_by). */
import { notFound, page } from "./replies.ts";
import {
  type CollaboratorPermission,
  type CommitComparison,
  type PullRequestReview,
  user,
} from "./shapes.ts";
import type { Route, RouteEnv } from "./state.ts";

// GitHub's legacy permission field folds maintain into write and triage into read.
const legacy: Record<string, string> = {
  admin: "admin",
  maintain: "write",
  write: "write",
  triage: "read",
  read: "read",
};

export function reviewRoutes(env: RouteEnv): Route[] {
  return [
    [
      "GET",
      /^\/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)\/reviews$/,
      ({ params, query }) => {
        const number = Number(params[1]);
        if (!env.repo(params[0]!).pulls.has(number)) return notFound();
        const reviews = (env.repo(params[0]!).reviews.get(number) ?? []).map(
          (r, i): PullRequestReview => ({
            id: number * 1000 + i,
            node_id: `PRR_${number}_${i}`,
            user: user(r.user, 100 + i, env.base()),
            body: "",
            state: r.state,
            html_url: `${env.base()}/${params[0]}/pull/${number}#pullrequestreview-${i}`,
            pull_request_url: `${env.base()}/repos/${params[0]}/pulls/${number}`,
            commit_id: r.commitId,
            author_association: "COLLABORATOR",
            _links: {
              html: { href: `${env.base()}/${params[0]}/pull/${number}#pullrequestreview-${i}` },
              pull_request: { href: `${env.base()}/repos/${params[0]}/pulls/${number}` },
            },
          }),
        );
        return page(env, reviews, query, `/repos/${params[0]}/pulls/${number}/reviews`);
      },
    ],
    [
      "GET",
      /^\/repos\/([^/]+\/[^/]+)\/collaborators\/([^/]+)\/permission$/,
      ({ params }) => {
        const role = env.repo(params[0]!).roles.get(decodeURIComponent(params[1]!));
        if (!role) return notFound();
        const body: CollaboratorPermission = {
          permission: legacy[role] ?? "none",
          role_name: role,
          user: null,
        };
        return { status: 200, body };
      },
    ],
    [
      "GET",
      /^\/repos\/([^/]+\/[^/]+)\/compare\/(.+)\.\.\.([0-9a-f]{40})$/,
      ({ params }) => {
        const pull = [...env.repo(params[0]!).pulls.values()].find((p) => p.headSha === params[2]);
        if (!pull) return notFound();
        const body: CommitComparison = {
          url: `${env.base()}/repos/${params[0]}/compare/${params[1]}...${params[2]}`,
          html_url: `${env.base()}/${params[0]}/compare/${params[1]}...${params[2]}`,
          status: pull.behindBy > 0 ? "diverged" : "ahead",
          ahead_by: 1,
          behind_by: pull.behindBy,
          total_commits: 1,
        };
        return { status: 200, body };
      },
    ],
  ];
}

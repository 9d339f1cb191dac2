/**
 * The fake GitHub's request and response shapes, taken from GitHub's published OpenAPI description
 * (@octokit/openapi-types). If GitHub renames or retypes a field the reconciler uses, tsc fails here.
 * Large schemas (a pull request embeds two full repositories) are narrowed with Pick to the fields
 * the fake fills; every picked field keeps the spec's name and type.
 */
import type { components, operations } from "@octokit/openapi-types";

type Schemas = components["schemas"];

export type JsonBody<Op extends keyof operations> = operations[Op] extends {
  requestBody?: { content: { "application/json": infer B } };
}
  ? B
  : never;

export type IssueComment = Schemas["issue-comment"];
export type CommitStatus = Schemas["status"];
export type SimpleUser = Schemas["simple-user"];
export type InstallationToken = Schemas["installation-token"];
export type Issue = Pick<
  Schemas["issue"],
  "id" | "node_id" | "url" | "html_url" | "number" | "state" | "title" | "body" | "user" | "created_at"
>;
export type PullRequestSimple = Pick<
  Schemas["pull-request-simple"],
  "id" | "node_id" | "url" | "html_url" | "number" | "state" | "title" | "merged_at" | "user"
> & {
  head: Pick<Schemas["pull-request-simple"]["head"], "sha" | "ref" | "label">;
  base: Pick<Schemas["pull-request-simple"]["base"], "sha" | "ref" | "label">;
};
/** GET /pulls/{n}: the fields the PR workflow reads (head and base repos, mergeability, labels). */
export type PullRequest = Pick<
  Schemas["pull-request"],
  | "id"
  | "node_id"
  | "url"
  | "html_url"
  | "number"
  | "state"
  | "title"
  | "merged_at"
  | "merged"
  | "mergeable"
  | "user"
> & {
  labels: Pick<Schemas["pull-request"]["labels"][number], "id" | "node_id" | "name" | "color" | "default">[];
  head: Pick<Schemas["pull-request"]["head"], "sha" | "ref" | "label"> & {
    repo: Pick<NonNullable<Schemas["pull-request"]["head"]["repo"]>, "full_name"> | null;
  };
  base: Pick<Schemas["pull-request"]["base"], "sha" | "ref" | "label"> & {
    repo: Pick<Schemas["pull-request"]["base"]["repo"], "full_name">;
  };
};
export type PullRequestReview = Pick<
  Schemas["pull-request-review"],
  | "id"
  | "node_id"
  | "user"
  | "body"
  | "state"
  | "html_url"
  | "pull_request_url"
  | "commit_id"
  | "author_association"
> & { _links: Schemas["pull-request-review"]["_links"] };
export type CollaboratorPermission = Pick<
  Schemas["repository-collaborator-permission"],
  "permission" | "role_name" | "user"
>;
export type CommitComparison = Pick<
  Schemas["commit-comparison"],
  "status" | "ahead_by" | "behind_by" | "total_commits" | "url" | "html_url"
>;
export type Commit = Pick<Schemas["commit"], "url" | "sha" | "node_id" | "html_url" | "comments_url"> & {
  commit: Pick<Schemas["commit"]["commit"], "message" | "url" | "comment_count" | "committer">;
};
export type App = Pick<
  NonNullable<Schemas["integration"]>,
  "id" | "slug" | "node_id" | "name" | "created_at" | "updated_at"
>;
export type BasicError = Schemas["basic-error"];
export type ValidationError = Schemas["validation-error"];

export type CreateCommentBody = JsonBody<"issues/create-comment">;
export type UpdateCommentBody = JsonBody<"issues/update-comment">;
export type CreateStatusBody = JsonBody<"repos/create-commit-status">;
export type CreateIssueBody = JsonBody<"issues/create">;
export type CreatePullBody = JsonBody<"pulls/create">;
export type UpdatePullBody = JsonBody<"pulls/update">;

export function user(login: string, id: number, base: string): SimpleUser {
  return {
    login,
    id,
    node_id: `U_${id}`,
    avatar_url: `${base}/avatars/${id}`,
    gravatar_id: null,
    url: `${base}/users/${login}`,
    html_url: `${base}/${login}`,
    followers_url: `${base}/users/${login}/followers`,
    following_url: `${base}/users/${login}/following{/other_user}`,
    gists_url: `${base}/users/${login}/gists{/gist_id}`,
    starred_url: `${base}/users/${login}/starred{/owner}{/repo}`,
    subscriptions_url: `${base}/users/${login}/subscriptions`,
    organizations_url: `${base}/users/${login}/orgs`,
    repos_url: `${base}/users/${login}/repos`,
    events_url: `${base}/users/${login}/events{/privacy}`,
    received_events_url: `${base}/users/${login}/received_events`,
    type: login.endsWith("[bot]") ? "Bot" : "User",
    site_admin: false,
  };
}

export function issueComment(
  id: number,
  repo: string,
  issue: number,
  body: string,
  author: SimpleUser,
  base: string,
): IssueComment {
  const now = new Date().toISOString();
  return {
    id,
    node_id: `IC_${id}`,
    url: `${base}/repos/${repo}/issues/comments/${id}`,
    html_url: `${base}/${repo}/pull/${issue}#issuecomment-${id}`,
    body,
    user: author,
    created_at: now,
    updated_at: now,
    issue_url: `${base}/repos/${repo}/issues/${issue}`,
    author_association: "NONE",
  };
}

export function commitStatus(
  id: number,
  body: CreateStatusBody,
  creator: SimpleUser,
  base: string,
): CommitStatus {
  const now = new Date().toISOString();
  return {
    url: `${base}/statuses/${id}`,
    avatar_url: null,
    id,
    node_id: `SC_${id}`,
    state: body.state,
    description: body.description ?? null,
    target_url: body.target_url ?? null,
    context: body.context ?? "default",
    created_at: now,
    updated_at: now,
    creator,
  };
}

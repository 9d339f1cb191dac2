/**
 * The fake GitHub's endpoints: each answers with the shape GitHub's OpenAPI description gives
 * (shapes.ts) and checks request bodies as GitHub does (422 on a missing field or an oversized body).
 */
import {
  type App,
  type BasicError,
  type Commit,
  type CommitStatus,
  type CreateCommentBody,
  type CreateIssueBody,
  type CreateStatusBody,
  commitStatus,
  type InstallationToken,
  type Issue,
  type IssueComment,
  issueComment,
  type PullRequestSimple,
  type SimpleUser,
  type UpdateCommentBody,
  user,
  type ValidationError,
} from "./shapes.ts";

/** A commit on the fake's default branch, newest last; `pulls` are the PRs it is associated with. */
export interface FakeCommit {
  sha: string;
  message: string;
  paths: string[];
  pulls: number[];
}

export interface FakeRepoState {
  comments: Map<number, IssueComment[]>;
  statuses: Map<string, CommitStatus[]>;
  issues: Issue[];
  commits: FakeCommit[];
  pulls: Map<number, PullRequestSimple>;
}

export type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
export type Handler = (ctx: {
  params: string[];
  query: URLSearchParams;
  body: unknown;
  auth: string | undefined;
}) => Reply;

export interface RouteEnv {
  base(): string;
  repo(fullName: string): FakeRepoState;
  nextId(): number;
  botLogin: string;
  appSlug: string;
}

const COMMENT_LIMIT = 65_536;

export const notFound = (): Reply => ({
  status: 404,
  body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } satisfies BasicError,
});

export function githubRoutes(env: RouteEnv): [string, RegExp, Handler][] {
  const actor = (auth: string | undefined): SimpleUser =>
    auth?.startsWith("token ghs_")
      ? user(`${env.appSlug}[bot]`, 9, env.base())
      : user(env.botLogin, 7, env.base());
  const invalid = (resource: string, field: string, message: string): Reply => ({
    status: 422,
    body: {
      message: "Validation Failed",
      documentation_url: "https://docs.github.com/rest",
      errors: [{ resource, code: "custom", field, message }],
    } satisfies ValidationError,
  });
  const page = <T>(items: T[], query: URLSearchParams, path: string): Reply => {
    const perPage = Math.min(100, Number(query.get("per_page") ?? 30));
    const current = Number(query.get("page") ?? 1);
    const last = Math.max(1, Math.ceil(items.length / perPage));
    const link = (n: number) => {
      const q = new URLSearchParams(query);
      q.set("page", String(n));
      q.set("per_page", String(perPage));
      return `<${env.base()}${path}?${q}>`;
    };
    const links = [];
    if (current < last) links.push(`${link(current + 1)}; rel="next"`, `${link(last)}; rel="last"`);
    if (current > 1) links.push(`${link(1)}; rel="first"`, `${link(current - 1)}; rel="prev"`);
    return {
      status: 200,
      body: items.slice((current - 1) * perPage, current * perPage),
      headers: links.length ? { link: links.join(", ") } : {},
    };
  };
  const findComment = (fullName: string, id: number): [IssueComment[], number] | undefined => {
    for (const list of env.repo(fullName).comments.values()) {
      const index = list.findIndex((c) => c.id === id);
      if (index >= 0) return [list, index];
    }
    return undefined;
  };

  return [
    ["GET", /^\/user$/, ({ auth }) => ({ status: 200, body: actor(auth) })],
    [
      "GET",
      /^\/app$/,
      () => ({
        status: 200,
        body: {
          id: 1,
          slug: env.appSlug,
          node_id: "A_1",
          name: "Fabric reconciler",
          created_at: "2026-01-01T00:00:00Z",
          updated_at: "2026-01-01T00:00:00Z",
        } satisfies App,
      }),
    ],
    [
      "POST",
      /^\/app\/installations\/(\d+)\/access_tokens$/,
      ({ params }) => ({
        status: 201,
        body: {
          token: `ghs_fake_${params[0]}`,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        } satisfies InstallationToken,
      }),
    ],
    [
      "GET",
      /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/,
      ({ params, query }) =>
        page(
          env.repo(params[0]!).comments.get(Number(params[1])) ?? [],
          query,
          `/repos/${params[0]}/issues/${params[1]}/comments`,
        ),
    ],
    [
      "POST",
      /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/,
      ({ params, body, auth }) => {
        const b = body as Partial<CreateCommentBody>;
        if (typeof b.body !== "string") return invalid("IssueComment", "body", "body is missing");
        if (b.body.length > COMMENT_LIMIT)
          return invalid("IssueComment", "data", `Body is too long (maximum is ${COMMENT_LIMIT} characters)`);
        const number = Number(params[1]);
        const comment = issueComment(env.nextId(), params[0]!, number, b.body, actor(auth), env.base());
        const list = env.repo(params[0]!).comments.get(number) ?? [];
        list.push(comment);
        env.repo(params[0]!).comments.set(number, list);
        return { status: 201, body: comment };
      },
    ],
    [
      "PATCH",
      /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/,
      ({ params, body }) => {
        const b = body as Partial<UpdateCommentBody>;
        if (typeof b.body !== "string") return invalid("IssueComment", "body", "body is missing");
        if (b.body.length > COMMENT_LIMIT)
          return invalid("IssueComment", "data", `Body is too long (maximum is ${COMMENT_LIMIT} characters)`);
        const found = findComment(params[0]!, Number(params[1]));
        if (!found) return notFound();
        const [list, index] = found;
        const updated = { ...list[index]!, body: b.body, updated_at: new Date().toISOString() };
        list[index] = updated;
        return { status: 200, body: updated };
      },
    ],
    [
      "DELETE",
      /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/,
      ({ params }) => {
        const found = findComment(params[0]!, Number(params[1]));
        if (!found) return notFound();
        found[0].splice(found[1], 1);
        return { status: 204 };
      },
    ],
    [
      "POST",
      /^\/repos\/([^/]+\/[^/]+)\/statuses\/([0-9a-f]{40})$/,
      ({ params, body, auth }) => {
        const b = body as Partial<CreateStatusBody>;
        if (!b.state || !["error", "failure", "pending", "success"].includes(b.state))
          return invalid("Status", "state", "state is not included in the list");
        const status = commitStatus(env.nextId(), b as CreateStatusBody, actor(auth), env.base());
        const list = env.repo(params[0]!).statuses.get(params[1]!) ?? [];
        list.push(status);
        env.repo(params[0]!).statuses.set(params[1]!, list);
        return { status: 201, body: status };
      },
    ],
    [
      "GET",
      /^\/repos\/([^/]+\/[^/]+)\/commits$/,
      ({ params, query }) => {
        const path = query.get("path");
        const commits = [...env.repo(params[0]!).commits]
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
                message: c.message,
                url: `${env.base()}/repos/${params[0]}/git/commits/${c.sha}`,
                comment_count: 0,
              },
            }),
          );
        return page(commits, query, `/repos/${params[0]}/commits`);
      },
    ],
    [
      "GET",
      /^\/repos\/([^/]+\/[^/]+)\/commits\/([0-9a-f]{40})\/pulls$/,
      ({ params, query }) => {
        const state = env.repo(params[0]!);
        const commit = state.commits.find((c) => c.sha === params[1]);
        const pulls = (commit?.pulls ?? []).map((n) => state.pulls.get(n)).filter((p) => p !== undefined);
        return page(pulls, query, `/repos/${params[0]}/commits/${params[1]}/pulls`);
      },
    ],
    [
      "GET",
      /^\/repos\/([^/]+\/[^/]+)\/issues$/,
      ({ params, query }) => {
        const state = query.get("state") ?? "open";
        const issues = env.repo(params[0]!).issues.filter((i) => state === "all" || i.state === state);
        return page(issues, query, `/repos/${params[0]}/issues`);
      },
    ],
    [
      "POST",
      /^\/repos\/([^/]+\/[^/]+)\/issues$/,
      ({ params, body, auth }) => {
        const b = body as Partial<CreateIssueBody>;
        if (typeof b.title !== "string" || b.title === "")
          return invalid("Issue", "title", "title is missing");
        const state = env.repo(params[0]!);
        const number = 1 + Math.max(0, ...state.issues.map((i) => i.number), ...state.pulls.keys());
        const issue: Issue = {
          id: env.nextId(),
          node_id: `I_${number}`,
          url: `${env.base()}/repos/${params[0]}/issues/${number}`,
          html_url: `${env.base()}/${params[0]}/issues/${number}`,
          number,
          state: "open",
          title: b.title,
          body: b.body ?? null,
          user: actor(auth),
          created_at: new Date().toISOString(),
        };
        state.issues.push(issue);
        return { status: 201, body: issue };
      },
    ],
  ];
}

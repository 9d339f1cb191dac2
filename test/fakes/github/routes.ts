/**
 * The fake GitHub's endpoints: each answers with the shape GitHub's OpenAPI description gives
 * (shapes.ts) and checks request bodies as GitHub does (422 on a missing field or an oversized body).
 */
import {
  type App,
  type BasicError,
  type CollaboratorPermission,
  type Commit,
  type CommitComparison,
  type CommitStatus,
  type CreateCommentBody,
  type CreateIssueBody,
  type CreatePullBody,
  type CreateStatusBody,
  commitStatus,
  type InstallationToken,
  type Issue,
  type IssueComment,
  issueComment,
  type PullRequest,
  type PullRequestReview,
  type PullRequestSimple,
  type SimpleUser,
  type UpdateCommentBody,
  type UpdatePullBody,
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

/** A pull request as the fake keeps it; the routes render GitHub's shapes from it. */
export interface FakePull {
  number: number;
  title: string;
  author: string;
  headSha: string;
  headRef: string;
  /** "owner/name"; another repo than this one is a fork. */
  headRepo: string;
  baseRef: string;
  state: "open" | "closed";
  merged: boolean;
  mergeable: boolean | null;
  labels: string[];
  /** Commits of the base branch the head lacks (compare's behind_by). */
  behindBy: number;
  /** What the PR says (a PR the reconciler opened: an event's change). */
  body?: string;
}

export interface FakeReview {
  user: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  commitId: string;
}

export interface FakeRepoState {
  comments: Map<number, IssueComment[]>;
  statuses: Map<string, CommitStatus[]>;
  issues: Issue[];
  commits: FakeCommit[];
  pulls: Map<number, FakePull>;
  reviews: Map<number, FakeReview[]>;
  /** login → role (admin, maintain, write, triage, read); absent: no collaborator (404). */
  roles: Map<string, string>;
  /** Branch → head sha, for PRs opened through the API (the test pushes the branch with real git). */
  branches: Map<string, string>;
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
  const simplePull = (fullName: string, p: FakePull): PullRequestSimple => ({
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
  });
  const fullPull = (fullName: string, p: FakePull): PullRequest => {
    const simple = simplePull(fullName, p);
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
  };
  // GitHub's legacy permission field folds maintain into write and triage into read.
  const legacy: Record<string, string> = {
    admin: "admin",
    maintain: "write",
    write: "write",
    triage: "read",
    read: "read",
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
        return page(commits, query, `/repos/${params[0]}/commits`);
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
          .map((p) => simplePull(params[0]!, p));
        return page(pulls, query, `/repos/${params[0]}/commits/${params[1]}/pulls`);
      },
    ],
    [
      "POST",
      /^\/repos\/([^/]+\/[^/]+)\/pulls$/,
      ({ params, body }) => {
        const b = (body ?? {}) as { head?: unknown; base?: unknown; title?: unknown; body?: unknown };
        for (const field of ["head", "base", "title"] as const)
          if (typeof b[field] !== "string" || b[field] === "")
            return invalid("PullRequest", field, `${field} is missing`);
        const state = env.repo(params[0]!);
        if ([...state.pulls.values()].some((p) => p.state === "open" && p.headRef === b.head))
          return invalid("PullRequest", "head", `A pull request already exists for ${b.head}.`);
        const number = 1 + Math.max(0, ...state.issues.map((i) => i.number), ...state.pulls.keys());
        const pull: FakePull = {
          number,
          title: String(b.title),
          author: env.botLogin,
          headSha: "0".repeat(40),
          headRef: String(b.head),
          headRepo: params[0]!,
          baseRef: String(b.base),
          state: "open",
          merged: false,
          mergeable: true,
          labels: [],
          behindBy: 0,
          ...(typeof b.body === "string" ? { body: b.body } : {}),
        };
        state.pulls.set(number, pull);
        return { status: 201, body: fullPull(params[0]!, pull) };
      },
    ],
    [
      "GET",
      /^\/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)$/,
      ({ params }) => {
        const pull = env.repo(params[0]!).pulls.get(Number(params[1]));
        return pull ? { status: 200, body: fullPull(params[0]!, pull) } : notFound();
      },
    ],
    [
      "POST",
      /^\/repos\/([^/]+\/[^/]+)\/pulls$/,
      ({ params, body, auth }) => {
        const b = body as Partial<CreatePullBody>;
        if (typeof b.head !== "string" || typeof b.base !== "string")
          return invalid("PullRequest", "head", "head and base are required");
        if (typeof b.title !== "string" || b.title === "")
          return invalid("PullRequest", "title", "title is missing");
        const state = env.repo(params[0]!);
        const open = [...state.pulls.values()].find((p) => p.headRef === b.head && p.state === "open");
        if (open) return invalid("PullRequest", "head", `A pull request already exists for ${b.head}.`);
        const number = 1 + Math.max(0, ...state.issues.map((i) => i.number), ...state.pulls.keys());
        const pull: FakePull = {
          number,
          title: b.title,
          body: b.body ?? "",
          author: actor(auth).login,
          headSha: state.branches.get(b.head) ?? "0".repeat(40),
          headRef: b.head,
          headRepo: params[0]!,
          baseRef: b.base,
          state: "open",
          merged: false,
          mergeable: true,
          labels: [],
          behindBy: 0,
        };
        state.pulls.set(number, pull);
        return { status: 201, body: fullPull(params[0]!, pull) };
      },
    ],
    [
      "PATCH",
      /^\/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)$/,
      ({ params, body }) => {
        const pull = env.repo(params[0]!).pulls.get(Number(params[1]));
        if (!pull) return notFound();
        const b = body as Partial<UpdatePullBody>;
        if (b.state !== undefined && b.state !== "open" && b.state !== "closed")
          return invalid("PullRequest", "state", "state is not included in the list");
        if (b.title !== undefined) pull.title = b.title;
        if (b.body !== undefined) pull.body = b.body;
        if (b.state !== undefined) pull.state = b.state;
        return { status: 200, body: fullPull(params[0]!, pull) };
      },
    ],
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
        return page(reviews, query, `/repos/${params[0]}/pulls/${number}/reviews`);
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

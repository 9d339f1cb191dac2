/**
 * A stateful fake of the few GitHub REST endpoints the reconciler uses, over real HTTP on
 * 127.0.0.1 (octokit points at it with `baseUrl`). Shapes come from shapes.ts (GitHub's OpenAPI
 * types); request bodies are checked like GitHub does (422 on a missing field or a body over the
 * comment limit). Faults can be injected per route to exercise retry and rate limiting.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
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

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export interface Fault {
  method?: string;
  /** Matched against the path without the query string. */
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  message?: string;
  /** How many requests it answers before it goes away; default: all of them. */
  times?: number;
}

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

export interface FakeGithub {
  url: string;
  requests: RecordedRequest[];
  repo(fullName: string): FakeRepoState;
  /** The login that comments and statuses made with any token are attributed to. */
  botLogin: string;
  addPull(
    fullName: string,
    pull: { number: number; headSha: string; merged?: boolean; title?: string },
  ): void;
  addCommit(fullName: string, commit: FakeCommit): void;
  fail(fault: Fault): void;
  close(): Promise<void>;
}

const COMMENT_LIMIT = 65_536;

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
type Handler = (ctx: {
  params: string[];
  query: URLSearchParams;
  body: unknown;
  auth: string | undefined;
}) => Reply;

export async function startFakeGithub(
  options: { botLogin?: string; appSlug?: string } = {},
): Promise<FakeGithub> {
  const repos = new Map<string, FakeRepoState>();
  const requests: RecordedRequest[] = [];
  const faults: Fault[] = [];
  let nextId = 1000;
  let base = "";
  const botLogin = options.botLogin ?? "reconciler-bot";
  const appSlug = options.appSlug ?? "fabric-reconciler";

  const repo = (fullName: string): FakeRepoState => {
    let state = repos.get(fullName);
    if (!state) {
      state = { comments: new Map(), statuses: new Map(), issues: [], commits: [], pulls: new Map() };
      repos.set(fullName, state);
    }
    return state;
  };
  const actor = (auth: string | undefined): SimpleUser =>
    auth?.startsWith("token ghs_") ? user(`${appSlug}[bot]`, 9, base) : user(botLogin, 7, base);
  const notFound = (): Reply => ({
    status: 404,
    body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } satisfies BasicError,
  });
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
      return `<${base}${path}?${q}>`;
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
    for (const list of repo(fullName).comments.values()) {
      const index = list.findIndex((c) => c.id === id);
      if (index >= 0) return [list, index];
    }
    return undefined;
  };

  const routes: [string, RegExp, Handler][] = [
    ["GET", /^\/user$/, ({ auth }) => ({ status: 200, body: actor(auth) })],
    [
      "GET",
      /^\/app$/,
      () => ({
        status: 200,
        body: {
          id: 1,
          slug: appSlug,
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
          repo(params[0]!).comments.get(Number(params[1])) ?? [],
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
        const comment = issueComment(nextId++, params[0]!, number, b.body, actor(auth), base);
        const list = repo(params[0]!).comments.get(number) ?? [];
        list.push(comment);
        repo(params[0]!).comments.set(number, list);
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
        const status = commitStatus(nextId++, b as CreateStatusBody, actor(auth), base);
        const list = repo(params[0]!).statuses.get(params[1]!) ?? [];
        list.push(status);
        repo(params[0]!).statuses.set(params[1]!, list);
        return { status: 201, body: status };
      },
    ],
    [
      "GET",
      /^\/repos\/([^/]+\/[^/]+)\/commits$/,
      ({ params, query }) => {
        const path = query.get("path");
        const commits = [...repo(params[0]!).commits]
          .reverse()
          .filter((c) => !path || c.paths.includes(path))
          .map(
            (c): Commit => ({
              url: `${base}/repos/${params[0]}/commits/${c.sha}`,
              sha: c.sha,
              node_id: `C_${c.sha.slice(0, 8)}`,
              html_url: `${base}/${params[0]}/commit/${c.sha}`,
              comments_url: `${base}/repos/${params[0]}/commits/${c.sha}/comments`,
              commit: {
                message: c.message,
                url: `${base}/repos/${params[0]}/git/commits/${c.sha}`,
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
        const state = repo(params[0]!);
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
        const issues = repo(params[0]!).issues.filter((i) => state === "all" || i.state === state);
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
        const state = repo(params[0]!);
        const number = 1 + Math.max(0, ...state.issues.map((i) => i.number), ...state.pulls.keys());
        const issue: Issue = {
          id: nextId++,
          node_id: `I_${number}`,
          url: `${base}/repos/${params[0]}/issues/${number}`,
          html_url: `${base}/${params[0]}/issues/${number}`,
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

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", base);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      return send(res, { status: 400, body: { message: "Problems parsing JSON" } });
    }
    const method = req.method ?? "GET";
    requests.push({ method, path: url.pathname, query: url.searchParams, headers: req.headers, body });

    const fault = faults.find((f) => (!f.method || f.method === method) && f.path.test(url.pathname));
    if (fault) {
      if (fault.times !== undefined && --fault.times <= 0) faults.splice(faults.indexOf(fault), 1);
      return send(res, {
        status: fault.status,
        headers: fault.headers,
        body: { message: fault.message ?? "Server Error", documentation_url: "https://docs.github.com/rest" },
      });
    }
    const auth = req.headers.authorization;
    if (!auth && !url.pathname.startsWith("/app")) {
      return send(res, { status: 401, body: { message: "Requires authentication" } });
    }
    for (const [m, pattern, handler] of routes) {
      const match = m === method ? pattern.exec(url.pathname) : null;
      if (match) return send(res, handler({ params: match.slice(1), query: url.searchParams, body, auth }));
    }
    send(res, notFound());
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, { status: 500, body: { message: String(error) } }));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    requests,
    repo,
    botLogin,
    addPull(fullName, pull) {
      repo(fullName).pulls.set(pull.number, {
        id: pull.number * 100,
        node_id: `PR_${pull.number}`,
        url: `${base}/repos/${fullName}/pulls/${pull.number}`,
        html_url: `${base}/${fullName}/pull/${pull.number}`,
        number: pull.number,
        state: pull.merged ? "closed" : "open",
        title: pull.title ?? `PR ${pull.number}`,
        merged_at: pull.merged ? new Date().toISOString() : null,
        user: user("octocat", 1, base),
        head: { sha: pull.headSha, ref: `topic-${pull.number}`, label: `octocat:topic-${pull.number}` },
        base: { sha: "0".repeat(40), ref: "main", label: "octocat:main" },
      });
    },
    addCommit(fullName, commit) {
      repo(fullName).commits.push(commit);
    },
    fail(fault) {
      faults.push({ ...fault });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function send(res: ServerResponse, reply: Reply): void {
  const headers: Record<string, string> = {
    "x-github-media-type": "github.v3; format=json",
    ...reply.headers,
  };
  if (reply.body === undefined) {
    res.writeHead(reply.status, headers).end();
    return;
  }
  res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(reply.body));
}

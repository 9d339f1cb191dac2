/**
 * A stateful fake of the few GitHub REST endpoints the reconciler uses, over real HTTP on
 * 127.0.0.1 (octokit points at it with `baseUrl`). Shapes come from shapes.ts (GitHub's OpenAPI
 * types); request bodies are checked like GitHub does (422 on a missing field or a body over the
 * comment limit). Faults can be injected per route to exercise retry and rate limiting.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  type FakeCommit,
  type FakePull,
  type FakeRepoState,
  githubRoutes,
  notFound,
  type Reply,
} from "./routes.ts";

export type { FakeCommit, FakePull, FakeRepoState, FakeReview } from "./routes.ts";

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

export interface FakeGithub {
  url: string;
  requests: RecordedRequest[];
  repo(fullName: string): FakeRepoState;
  /** The login that comments and statuses made with any token are attributed to. */
  botLogin: string;
  /** An open PR by octocat from a branch of this repo unless told otherwise. */
  addPull(
    fullName: string,
    pull: { number: number; headSha: string; merged?: boolean; title?: string } & Partial<FakePull>,
  ): FakePull;
  addCommit(fullName: string, commit: FakeCommit): void;
  fail(fault: Fault): void;
  close(): Promise<void>;
}

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
      state = {
        comments: new Map(),
        statuses: new Map(),
        issues: [],
        commits: [],
        pulls: new Map(),
        reviews: new Map(),
        roles: new Map(),
        branches: new Map(),
      };
      repos.set(fullName, state);
    }
    return state;
  };
  const routes = githubRoutes({
    base: () => base,
    repo,
    nextId: () => nextId++,
    botLogin,
    appSlug,
  });

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
      const record: FakePull = {
        title: `PR ${pull.number}`,
        author: "octocat",
        headRef: `topic-${pull.number}`,
        headRepo: fullName,
        baseRef: "main",
        state: pull.merged ? "closed" : "open",
        merged: false,
        mergeable: true,
        labels: [],
        behindBy: 0,
        ...pull,
      };
      record.merged = pull.merged ?? false;
      repo(fullName).pulls.set(pull.number, record);
      return record;
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

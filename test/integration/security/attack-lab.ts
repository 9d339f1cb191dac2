/**
 * An attacker's view of the service: `reconciler serve` in its own process (the built CLI, the real
 * backend) on a local-path desired-state repo, a real Prosody with simulated switches, the fake GitHub,
 * and a trap — a TCP listener on an address only pull requests name, which records every connection.
 * The service holds real secrets (GitHub token, webhook secret, XMPP password in a secrets directory);
 * `leaks()` says which of them appear in anything the service wrote anywhere.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { copyFile, mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { createServer, type Server, type Socket } from "node:net";
import { join } from "node:path";
import { Webhooks } from "@octokit/webhooks";
import { simpleGit } from "simple-git";
import { loadFabric, renderIntended } from "../../../reconciler/src/fabric/index.ts";
import { type FakeGithub, startFakeGithub } from "../../fakes/github/server.ts";
import { example } from "../github/harness.ts";
import { type FabricLab, startFabricLab } from "../support/fabric-lab.ts";

export const REPO = "Codertocat/Hello-World";
export const FORK = "mallory/Hello-World";

/** A listener where no connection may ever arrive: what it received, if anything did. */
export interface Trap {
  host: string;
  port: number;
  connections: number;
  received: string;
  close(): Promise<void>;
}

async function startTrap(host: string, port: number): Promise<Trap> {
  const sockets = new Set<Socket>();
  const trap = { host, port, connections: 0, received: "" } as Trap;
  const server: Server = createServer((socket) => {
    trap.connections++;
    sockets.add(socket);
    socket.on("data", (d) => {
      trap.received += d.toString("latin1");
    });
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  trap.close = () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
  return trap;
}

export interface ServiceProcess {
  url: string;
  pid: number;
  stdout(): string;
  stderr(): string;
  stop(): Promise<void>;
}

export interface RecentRun {
  id: string;
  kind: string;
  sha?: string;
  pullNumber?: number;
  outcome?: string;
  summary?: string;
  finishedAt?: string;
}

export interface AttackLab {
  fabric: FabricLab;
  fake: FakeGithub;
  trap: Trap;
  /** The tracked branch head: the trusted settings. */
  main: string;
  secrets: { githubToken: string; webhookSecret: string; xmppPassword: string; outsideSecret: string };
  /** A file outside the secrets directory holding `outsideSecret`. */
  outsideFile: string;
  secretsDir: string;
  /** Starts `reconciler serve` on the lab's repo; `extra` is YAML appended to its config file. */
  serve(name: string, extra?: string): Promise<ServiceProcess>;
  /** Commits edits on a new branch off main and returns its sha; the working tree goes back to main. */
  branch(name: string, edit: (dir: string) => Promise<void>): Promise<string>;
  /** Delivers a signed pull_request opened event, then waits for its plan run to end. */
  pullRequest(
    service: ServiceProcess,
    pr: { number: number; sha: string; fork: boolean },
  ): Promise<RecentRun>;
  deliver(service: ServiceProcess, event: string, payload: unknown): Promise<Response>;
  /** Everything the service wrote: GitHub requests, pages and their JSON, metrics, stdout, stderr. */
  outputs(service: ServiceProcess): Promise<string>;
  /** The names of the secrets that appear in `text` (in any form a report could carry them). */
  leaks(text: string): string[];
  cleanup(): Promise<void>;
}

const token = () => randomBytes(18).toString("base64url");

export async function startAttackLab(): Promise<AttackLab> {
  const fabric = await startFabricLab();
  const { server } = fabric.lab;
  const root = join(fabric.stateDir, "..");
  const git = simpleGit(fabric.repo);
  // Another loopback address, at the XMPP server's own port: a PR that names it changes only where
  // the reconciler connects (the host is not in the switches' config; the port is, and the safety
  // rules refuse changing a switch's management path).
  const trap = await startTrap("127.0.0.2", server.port);
  const fake = await startFakeGithub();
  const secretsDir = join(root, "secrets");
  const outsideFile = join(root, "outside", "stolen");
  const secrets = {
    githubToken: `ghp_${randomBytes(27).toString("base64url").replace(/[-_]/g, "x").slice(0, 36)}`,
    webhookSecret: token(),
    xmppPassword: fabric.lab.env.RECONCILER_XMPP_PASSWORD!,
    outsideSecret: `outside-${token()}`,
  };
  await mkdir(secretsDir, { recursive: true });
  await mkdir(join(root, "outside"), { recursive: true });
  await writeFile(join(secretsDir, "xmpp-password"), `${secrets.xmppPassword}\n`);
  await writeFile(outsideFile, `${secrets.outsideSecret}\n`);

  // The tracked branch names the lab's server and CA itself: the service has no RECONCILER_XMPP_* overrides.
  await mkdir(join(fabric.repo, "pki"), { recursive: true });
  await copyFile(server.caFile, join(fabric.repo, "pki", "securitydemo-ca.pem"));
  const main = await fabric.commit(
    "fabric.yaml",
    (text) =>
      text
        .replace("host: 127.0.0.1", `host: ${server.host}`)
        .replace("port: 5222", `port: ${server.port}`)
        .replace("password: env:RECONCILER_XMPP_PASSWORD", "password: file:xmpp-password")
        .replace("repo: securitydemo/fabric", `repo: ${REPO}`),
    "Point the fabric at the lab's server",
  );
  // The switches run the tracked branch's intended configs: a plan of main changes nothing.
  const loaded = await loadFabric(fabric.repo);
  if (!loaded.ok) throw new Error(`main is invalid: ${JSON.stringify(loaded.errors)}`);
  for (const sw of fabric.lab.fleet.switches.values())
    sw.setRunningConfig(renderIntended(loaded.fabric, sw.name).text);

  const services: ServiceProcess[] = [];
  const webhooks = new Webhooks({ secret: secrets.webhookSecret });
  let deliveries = 0;

  const lab: AttackLab = {
    fabric,
    fake,
    trap,
    main,
    secrets,
    outsideFile,
    secretsDir,
    async serve(name, extra = "") {
      const config = join(root, `${name}.yaml`);
      await writeFile(
        config,
        [
          `repo: ${fabric.repo}`,
          `stateDir: ${join(root, `state-${name}`)}`,
          "listen: { host: 127.0.0.1, port: 0 }",
          `github: { repo: ${REPO}, branch: main, apiUrl: "${fake.url}", commentAuthor: ${fake.botLogin} }`,
          "poll: { intervalSeconds: 0 }",
          "shutdownGraceSeconds: 5",
          extra,
        ].join("\n"),
      );
      const service = await spawnService(config, {
        PATH: process.env.PATH,
        HOME: root,
        LOG_LEVEL: "debug",
        GITHUB_TOKEN: secrets.githubToken,
        RECONCILER_WEBHOOK_SECRET: secrets.webhookSecret,
        RECONCILER_SECRETS_DIR: secretsDir,
      });
      services.push(service);
      return service;
    },
    async branch(name, edit) {
      await git.checkout(["-b", name, main]);
      try {
        await edit(fabric.repo);
        await git.add(["-A", "."]).commit(`PR: ${name}`);
        return (await git.revparse(["HEAD"])).trim();
      } finally {
        await git.checkout(["main"]);
      }
    },
    deliver: async (service, event, payload) => {
      const body = JSON.stringify(payload);
      return fetch(`${service.url}/webhook`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-github-event": event,
          "x-github-delivery": `attack-${++deliveries}`,
          "x-hub-signature-256": await webhooks.sign(body),
        },
        body,
      });
    },
    async pullRequest(service, pr) {
      const event = example("pull_request", (p) => p.action === "opened");
      event.number = pr.number;
      event.pull_request.number = pr.number;
      event.pull_request.head.sha = pr.sha;
      event.pull_request.base.ref = "main";
      event.pull_request.base.repo.full_name = REPO;
      event.pull_request.head.repo.full_name = pr.fork ? FORK : REPO;
      event.repository.full_name = REPO;
      const response = await lab.deliver(service, "pull_request", event);
      if (response.status !== 202)
        throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
      const run = await waitForRun(service, (r) => r.pullNumber === pr.number && r.sha === pr.sha);
      await idle(service);
      return run;
    },
    async outputs(service) {
      const pages = ["/", "/runs", "/api/runs", "/api/fabric", "/metrics"];
      const runs = (await (await fetch(`${service.url}/api/runs`)).json()) as RecentRun[];
      for (const run of runs) pages.push(`/runs/${run.id}`, `/api/runs/${run.id}`);
      for (const device of Object.keys(fabric.fabric.devices))
        pages.push(`/switches/${device}`, `/api/switches/${device}`);
      const bodies = await Promise.all(pages.map(async (p) => (await fetch(`${service.url}${p}`)).text()));
      const github = fake.requests.map((r) => JSON.stringify(r.body ?? null));
      return [...bodies, ...github, service.stdout(), service.stderr()].join("\n");
    },
    leaks(text) {
      return Object.entries(secrets)
        .filter(([, value]) =>
          [value, JSON.stringify(value).slice(1, -1), encodeURIComponent(value)].some((form) =>
            text.includes(form),
          ),
        )
        .map(([name]) => name);
    },
    async cleanup() {
      await Promise.all(services.map((s) => s.stop()));
      await trap.close();
      await fake.close();
      await fabric.cleanup();
    },
  };
  return lab;
}

/** Runs until a run matching `match` has ended (the status page's run list), at most `ms`. */
export async function waitForRun(
  service: ServiceProcess,
  match: (run: RecentRun) => boolean,
  ms = 60_000,
): Promise<RecentRun> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const runs = (await (await fetch(`${service.url}/api/runs`)).json()) as RecentRun[];
    const run = runs.find((r) => match(r) && r.finishedAt);
    if (run) return run;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no matching run ended within ${ms} ms; log:\n${service.stdout().slice(-4000)}`);
}

/** Until the service runs nothing (a run's statuses and comment are written after it is listed as ended). */
export async function idle(service: ServiceProcess, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const health = (await (await fetch(`${service.url}/healthz`)).json()) as { running: string | null };
    if (health.running === null) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the service was still running after ${ms} ms`);
}

/** The built CLI's `serve`, as an operator starts it; resolves once it logs "service listening". */
async function spawnService(config: string, env: NodeJS.ProcessEnv): Promise<ServiceProcess> {
  const child: ChildProcess = spawn(process.execPath, ["bin/reconciler.mjs", "serve", "-c", config], {
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}\n${err}`)), 30_000);
    const look = () => {
      const line = out.split("\n").find((l) => l.includes('"service listening"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).url);
      }
    };
    child.stdout!.on("data", look);
    child.once("exit", (code) => reject(new Error(`serve exited ${code}:\n${out}\n${err}`)));
  });
  return {
    url,
    pid: child.pid!,
    stdout: () => out,
    stderr: () => err,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Resident memory of a process now, in bytes (Linux /proc). */
export function rssOf(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) * 1024;
}

/** POSTs a body in chunks without Content-Length, so the server must stream it to learn its size. */
export function postChunked(
  url: string,
  body: Buffer,
  headers: Record<string, string>,
): Promise<number | "reset"> {
  return new Promise((resolve) => {
    const req = request(url, {
      method: "POST",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked", ...headers },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve("reset"));
    const chunk = 1024 * 1024;
    let offset = 0;
    const pump = () => {
      while (offset < body.length) {
        const ok = req.write(body.subarray(offset, offset + chunk));
        offset += chunk;
        if (!ok) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

/** Small file edits for pull requests. */
export const edits = {
  async replace(dir: string, file: string, from: string, to: string): Promise<void> {
    const path = join(dir, file);
    const text = await readFile(path, "utf8");
    if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
    await writeFile(path, text.replace(from, to));
  },
  link: (dir: string, file: string, target: string) => symlink(target, join(dir, file)),
  remove: (dir: string, file: string) => rm(join(dir, file)),
};

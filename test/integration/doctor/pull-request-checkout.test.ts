/**
 * `reconciler doctor` pointed at a pull request's checkout (as CI runs it) checks that checkout's
 * groups and switches, but over the tracked branch head's `xmpp` block read from git objects: the
 * reconciler's login never goes to a server the PR names. The built CLI, a real XMPP server with
 * simulated switches and hardened rooms, real git, and a trap: a listener on the address only the PR
 * names, which counts connections.
 */
import { execFile } from "node:child_process";
import { chmod, copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DoctorReport } from "../../../reconciler/src/doctor/index.ts";
import { type FabricLab, startFabricLab } from "../support/fabric-lab.ts";
import { TEST_SERVER } from "../support/xmpp-server.ts";

const run = promisify(execFile);

interface Trap {
  host: string;
  port: number;
  connections: number;
  close(): Promise<void>;
}

/** A TCP listener no connection may ever reach. */
async function startTrap(host: string): Promise<Trap> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    trap.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, host, resolve);
  });
  const trap: Trap = {
    host,
    port: (server.address() as { port: number }).port,
    connections: 0,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
  return trap;
}

let lab: FabricLab;
let trap: Trap;
let scratch: string;
let main: string;
const PR_BRANCH = "pr-own-server";

beforeAll(async () => {
  lab = await startFabricLab({ hardenRooms: {} });
  trap = await startTrap("127.0.0.2");
  scratch = await mkdtemp(join(tmpdir(), "doctor-pr-"));
  await mkdir(lab.stateDir, { recursive: true, mode: 0o700 });
  await chmod(lab.stateDir, 0o700);
  const { server } = lab.lab;
  // The tracked branch names the lab's server and CA itself: the doctor runs with no RECONCILER_XMPP_*
  // overrides of where to connect.
  await mkdir(join(lab.repo, "pki"), { recursive: true });
  await copyFile(server.caFile, join(lab.repo, "pki", "securitydemo-ca.pem"));
  main = await lab.commit(
    "fabric.yaml",
    (text) =>
      text.replace("host: 127.0.0.1", `host: ${server.host}`).replace("port: 5222", `port: ${server.port}`),
    "Point the fabric at the lab's server",
  );
  const git = simpleGit(lab.repo);
  await git.checkout(["-b", PR_BRANCH]);
  await edit(`host: ${server.host}`, `host: ${trap.host}`);
  await edit(`port: ${server.port}`, `port: ${trap.port}`);
  // Not a connection setting, but in the xmpp block: the switches name the new server only once the
  // PR is applied, so until then the doctor expects the tracked branch's.
  await edit("switchServer: 172.17.3.253", "switchServer: 172.17.3.200");
  await git.add(".").commit("PR: the fabric's own XMPP server");
  await git.checkout(["main"]);
}, 120_000);
afterAll(async () => {
  await lab?.cleanup();
  await trap?.close();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

async function edit(from: string, to: string, dir = lab.repo): Promise<void> {
  const path = join(dir, "fabric.yaml");
  const text = await readFile(path, "utf8");
  if (!text.includes(from)) throw new Error(`fabric.yaml has no ${from}`);
  await writeFile(path, text.replace(from, to));
}

/** The doctor as an operator runs it in CI: only the password in the environment, nothing of where to connect. */
async function doctor(
  repo: string,
  args: string[] = [],
): Promise<{ code: number; stdout: string; stderr: string }> {
  const argv = ["bin/reconciler.mjs", "doctor", repo, "--state-dir", lab.stateDir, ...args];
  const env = {
    PATH: process.env.PATH,
    HOME: scratch,
    NO_COLOR: "1",
    RECONCILER_XMPP_PASSWORD: lab.lab.env.RECONCILER_XMPP_PASSWORD,
    RECONCILER_WEBHOOK_SECRET: "x".repeat(40),
  };
  try {
    const { stdout, stderr } = await run("node", argv, { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** The server, login, room and switch checks (what goes over the connection) all pass. */
function expectConnectedChecksPass(report: DoctorReport): void {
  expect(report.results.filter((r) => r.status === "fail")).toEqual([]);
  for (const check of [
    "server-reachable",
    "cert-pinned-ca",
    "cert-names-domain",
    "reconciler-login",
    "room-members-only",
    "room-members-match-git",
    "switch-answers",
    "switch-privilege",
    "switch-server-domain",
  ]) {
    const statuses = report.results.filter((r) => r.check === check).map((r) => r.status);
    expect(statuses.length, check).toBeGreaterThan(0);
    expect(new Set(statuses), check).toEqual(new Set(["pass"]));
  }
  expect(report.results.filter((r) => r.check === "switch-answers")).toHaveLength(6);
  expect(report.server).toEqual({
    host: lab.lab.server.host,
    port: lab.lab.server.port,
    domain: "securitydemo.lab",
  });
}

async function onPrBranch<T>(body: () => Promise<T>): Promise<T> {
  const git = simpleGit(lab.repo);
  await git.checkout([PR_BRANCH]);
  try {
    return await body();
  } finally {
    await git.checkout(["main"]);
  }
}

describe(`reconciler doctor on a pull request's checkout (${TEST_SERVER})`, () => {
  it("checks with the tracked branch's server, never the one the PR names, and says so", async () => {
    const before = trap.connections;
    const result = await onPrBranch(() => doctor(lab.repo, ["--json"]));
    expect(trap.connections - before, "connections to the server the PR named").toBe(0);
    expect(result.stderr).toMatch(
      /warning: .* changes xmpp\.host, xmpp\.port, xmpp\.switchServer; these settings take effect on merge: connecting with those of main at [0-9a-f]{7}/,
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as DoctorReport;
    expectConnectedChecksPass(report);
    expect(report.settingsFrom).toEqual({
      kind: "tracked-branch",
      branch: "main",
      sha: main,
      checkoutChanges: ["xmpp.host", "xmpp.port", "xmpp.switchServer"],
    });
  });

  it("does not use an uncommitted edit of the tracked branch's own checkout either, and says so in the report", async () => {
    await edit(`host: ${lab.lab.server.host}`, `host: ${trap.host}`);
    try {
      const before = trap.connections;
      const result = await doctor(lab.repo);
      expect(trap.connections - before, "connections to the server the edit named").toBe(0);
      expect(result.stderr).toContain("changes xmpp.host; these settings take effect on merge");
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        `this checkout changes xmpp.host; checked with the settings of main at ${main.slice(0, 7)} (the checkout's take effect on merge)`,
      );
      expect(result.stdout).toContain("No failures");
    } finally {
      await simpleGit(lab.repo).checkout(["--", "fabric.yaml"]);
    }
  });

  it("checks the rooms and switches the checkout names", async () => {
    const device = join(lab.repo, "devices", "leaf4.yaml");
    const text = await readFile(device, "utf8");
    await writeFile(device, text.replace("groups: [leaf, dc1-row2]", "groups: [leaf]"));
    await edit(`host: ${lab.lab.server.host}`, `host: ${trap.host}`);
    try {
      const before = trap.connections;
      const result = await doctor(lab.repo, ["--json"]);
      expect(trap.connections - before, "connections to the server the edit named").toBe(0);
      expect(result.code).toBe(1);
      const report = JSON.parse(result.stdout) as DoctorReport;
      expect(report.results.filter((r) => r.status === "fail")).toEqual([
        expect.objectContaining({
          check: "room-members-match-git",
          subject: "dc1-row2@groups.securitydemo.lab",
          detail: "not in git: leaf4@securitydemo.lab",
        }),
      ]);
    } finally {
      await simpleGit(lab.repo).checkout(["--", "fabric.yaml", "devices/leaf4.yaml"]);
    }
  });

  it("on the tracked branch itself checks its own settings without a warning", async () => {
    const result = await doctor(lab.repo, ["--json"]);
    expect(result.stderr).not.toContain("take effect on merge");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as DoctorReport;
    expectConnectedChecksPass(report);
    expect(report.settingsFrom).toEqual({
      kind: "tracked-branch",
      branch: "main",
      sha: main,
      checkoutChanges: [],
    });
  });

  it("refuses a tracked branch that is not there, before any connection", async () => {
    const result = await onPrBranch(() => doctor(lab.repo, ["--branch", "production"]));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("reconciler doctor: the tracked branch production is not in");
    expect(result.stderr).toContain("name it with --branch");
    expect(result.stdout).toBe("");
  });

  it("takes a directory that is no git repo as its own trusted state", async () => {
    const plain = join(scratch, "plain");
    await cp(lab.repo, plain, { recursive: true, filter: (src) => !src.includes("/.git") });
    const result = await doctor(plain, ["--json"]);
    expect(result.stderr).not.toContain("take effect on merge");
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as DoctorReport;
    expectConnectedChecksPass(report);
    expect(report.settingsFrom).toEqual({ kind: "directory" });
  });
});

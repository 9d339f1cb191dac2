/**
 * `reconciler exec` and `reconciler record` pointed at a checkout whose working tree is a pull
 * request's branch (or has uncommitted edits) connect with the tracked branch head's xmpp block, read
 * from git objects, as plan/apply do: the PR's server, CA, TLS mode and password reference are never
 * used. The built CLI in its own process, a real Prosody with simulated switches, real git, and the
 * trap — a listener on the address only the PR names.
 */
import { execFile } from "node:child_process";
import { copyFile, cp, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureServerCerts } from "../../../reconciler/sim/xmpp-server/certs.ts";
import { type AttackLab, edits, startAttackLab } from "./attack-lab.ts";

const run = promisify(execFile);
let lab: AttackLab;
let scratch: string;
let prBranch: string;

beforeAll(async () => {
  lab = await startAttackLab();
  scratch = await mkdtemp(join(tmpdir(), "cli-connections-"));
  const malloryCa = (await ensureServerCerts(join(scratch, "mallory"), "securitydemo.lab")).caCert;
  // Everything in the xmpp block that decides where the password goes, changed at once.
  prBranch = "pr-own-server";
  await lab.branch(prBranch, async (dir) => {
    const { host } = lab.fabric.lab.server;
    await edits.replace(dir, "fabric.yaml", `host: ${host}`, `host: ${lab.trap.host}`);
    await copyFile(malloryCa, join(dir, "pki", "mallory-ca.pem"));
    await edits.replace(dir, "fabric.yaml", "caFile: pki/securitydemo-ca.pem", "caFile: pki/mallory-ca.pem");
    await edits.replace(dir, "fabric.yaml", "tls: starttls", "tls: insecure-permit");
    await edits.replace(dir, "fabric.yaml", "file:xmpp-password", `file:${lab.outsideFile}`);
  });
}, 120_000);
afterAll(async () => {
  await lab?.cleanup();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

/** The CLI as an operator runs it: no RECONCILER_XMPP_* overrides, the password in the secrets dir. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("node", ["bin/reconciler.mjs", ...args], {
      env: {
        PATH: process.env.PATH,
        HOME: scratch,
        NO_COLOR: "1",
        RECONCILER_STATE_DIR: join(scratch, "state"),
        RECONCILER_SECRETS_DIR: lab.secretsDir,
      },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs `body` with the PR's branch checked out in the repo's working tree, then goes back to main. */
async function onPrBranch<T>(body: () => Promise<T>): Promise<T> {
  const git = simpleGit(lab.fabric.repo);
  await git.checkout([prBranch]);
  try {
    return await body();
  } finally {
    await git.checkout(["main"]);
  }
}

function expectNoLeakNoTrap(...outputs: string[]): void {
  expect(lab.leaks(outputs.join("\n")), "secrets in the CLI's output").toEqual([]);
  expect(lab.trap.connections, "connections to the host the PR named").toBe(0);
}

describe("exec and record on a pull request's checkout", () => {
  it("exec connects with the tracked branch's settings and names what the checkout changes", async () => {
    const result = await onPrBranch(() =>
      cli("exec", "leaf1", "show", "running-config", "section", "ntp", "--repo", lab.fabric.repo),
    );
    expect(result.stderr).not.toContain("cannot reach");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("ntp server");
    expect(result.stderr).toMatch(
      /warning: .* changes xmpp\.caFile, xmpp\.host, xmpp\.reconcilerPassword, xmpp\.tls; these settings take effect on merge: connecting with those of main at [0-9a-f]{7}/,
    );
    expectNoLeakNoTrap(result.stdout, result.stderr);
  });

  it("record reads every switch over the trusted server", async () => {
    const out = join(scratch, "recorded");
    const result = await onPrBranch(() => cli("record", lab.fabric.repo, "--out", out));
    expect(result.stderr).not.toContain("cannot reach");
    expect(result.code).toBe(0);
    expect((await readdir(out)).sort()).toEqual(
      Object.keys(lab.fabric.fabric.devices)
        .sort()
        .map((d) => `${d}.cfg`),
    );
    expect(result.stderr).toContain("changes xmpp.caFile, xmpp.host");
    expectNoLeakNoTrap(result.stdout, result.stderr);
  });

  it("uncommitted edits of the xmpp block on the tracked branch's own checkout are not used either", async () => {
    const { host } = lab.fabric.lab.server;
    await edits.replace(lab.fabric.repo, "fabric.yaml", `host: ${host}`, `host: ${lab.trap.host}`);
    try {
      const result = await cli("exec", "spine1", "show", "version", "--repo", lab.fabric.repo);
      expect(result.code).toBe(0);
      expect(result.stderr).toContain("changes xmpp.host;");
      expectNoLeakNoTrap(result.stdout, result.stderr);
    } finally {
      await simpleGit(lab.fabric.repo).checkout(["--", "fabric.yaml"]);
    }
  });

  it("a tracked branch that is not there is refused with the way out, before any connection", async () => {
    const result = await onPrBranch(() =>
      cli("exec", "leaf1", "show", "version", "--repo", lab.fabric.repo, "--branch", "production"),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("reconciler exec: the tracked branch production is not in");
    expect(result.stderr).toContain("name it with --branch");
    expect(result.stdout).toBe("");
    expectNoLeakNoTrap(result.stdout, result.stderr);
    const named = await onPrBranch(async () => {
      await simpleGit(lab.fabric.repo).branch(["production", "main"]);
      return cli("record", lab.fabric.repo, "--out", join(scratch, "prod"), "--branch", "production");
    });
    expect(named.code).toBe(0);
    expect(named.stderr).toContain("connecting with those of production at");
    expectNoLeakNoTrap(named.stdout, named.stderr);
  });

  it("a directory that is no git repo is its own trusted state", async () => {
    const plain = join(scratch, "plain");
    await cp(lab.fabric.repo, plain, { recursive: true, filter: (src) => !src.includes("/.git") });
    const result = await cli("exec", "leaf2", "show", "version", "--repo", plain);
    expect(result.code).toBe(0);
    expect(result.stderr).not.toContain("take effect on merge");
    expectNoLeakNoTrap(result.stdout, result.stderr);
  });
});

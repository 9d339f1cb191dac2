import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExec } from "../../../reconciler/src/cli/commands/exec.ts";
import { runSim } from "../../../reconciler/src/cli/commands/sim.ts";
import type { CliContext } from "../../../reconciler/src/cli/context.ts";
import { TEST_SERVER } from "../support/xmpp-server.ts";
import { eventually } from "../transport/lab.ts";

const repo = resolve(import.meta.dirname, "../../../fabric-repo-example");

function context(
  env: Record<string, string | undefined> = {},
): CliContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    env,
    cwd: process.cwd(),
    isTTY: false,
    exitCode: 0,
  };
}

let stopSim: () => void;
let simDone: Promise<number>;
const simCtx = context({});
let env: Record<string, string> = {};

beforeAll(async () => {
  const until = new Promise<void>((r) => {
    stopSim = r;
  });
  simDone = runSim(repo, { startServer: TEST_SERVER, faults: "leaf2:offline,leaf3:drift" }, simCtx, until);
  await eventually(
    () => simCtx.out.join("").includes("simulated switches") || simCtx.err.length > 0,
    30_000,
    "sim",
  );
  expect(simCtx.err.join("")).toBe("");
  env = Object.fromEntries(
    [...simCtx.out.join("").matchAll(/export (RECONCILER_XMPP_\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]),
  );
});

afterAll(async () => {
  stopSim?.();
  expect(await simDone).toBe(0);
});

describe("reconciler sim and exec", () => {
  it("starts a server and one switch per device, and prints how to reach them", () => {
    const out = simCtx.out.join("");
    expect(Object.keys(env).sort()).toEqual([
      "RECONCILER_XMPP_CA",
      "RECONCILER_XMPP_DOMAIN",
      "RECONCILER_XMPP_HOST",
      "RECONCILER_XMPP_JID",
      "RECONCILER_XMPP_MUC",
      "RECONCILER_XMPP_PASSWORD",
      "RECONCILER_XMPP_PORT",
    ]);
    expect(out).toMatch(
      /spine1 +online as spine1@securitydemo.lab, multiline, rooms: spine@groups.securitydemo.lab/,
    );
    expect(out).toMatch(/leaf2 +offline \(fault\)/);
  });

  it("exec prints a switch's reply", async () => {
    const ctx = context(env);
    expect(await runExec("spine1", "show running-config section hostname", { repo }, ctx)).toBe(0);
    expect(ctx.out.join("")).toBe("hostname spine1\n");
  });

  it("exec to a group prints every member and exits 5 when one is unreachable", async () => {
    const ctx = context(env);
    expect(
      await runExec("leaf", "show running-config section hostname", { repo, timeout: "1500" }, ctx),
    ).toBe(5);
    expect(ctx.out.join("")).toContain("==== leaf1 ====\nhostname leaf1\n");
    expect(ctx.err.join("")).toMatch(/leaf2: (offline|timeout)/);
  });

  it("starts from the intended config with demo differences and the drift fault", async () => {
    const ctx = context(env);
    await runExec("leaf3", "show running-config section vlan 3999", { repo }, ctx);
    expect(ctx.out.join("")).toContain("vlan 3999");
  });

  it("exec exits 1 for a command the switch refuses and for an unknown target", async () => {
    const ctx = context(env);
    expect(await runExec("spine1", "show frobnicate", { repo }, ctx)).toBe(1);
    expect(ctx.err.join("")).toContain("% Invalid input (at token 1: 'frobnicate')");
    expect(await runExec("nosuch", "show version", { repo }, context(env))).toBe(1);
  });

  it("exec exits 5 when the server cannot be reached", async () => {
    const ctx = context({ ...env, RECONCILER_XMPP_PORT: "1" });
    expect(await runExec("spine1", "show version", { repo }, ctx)).toBe(5);
    expect(ctx.err.join("")).toContain("connect");
  });
});

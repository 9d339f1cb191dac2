/**
 * `reconciler serve` in its own process keeps serving while its XMPP connection is cut: a proxy in
 * front of the real Prosody resets every connection after the stream header, then mid-run, then lets
 * it through. Each scheduled drift check ends as a named refusal (unreachable), the process stays up
 * and healthy, never logs an unhandled fault, and checks the fabric again once the path is back.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FabricLab, startFabricLab } from "../support/fabric-lab.ts";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";

interface Run {
  id: string;
  kind: string;
  outcome?: string;
  summary?: string;
  finishedAt?: string;
}

let lab: FabricLab;
let proxy: FaultProxy;
let child: ChildProcess;
let url = "";
let out = "";
let err = "";

beforeAll(async () => {
  lab = await startFabricLab();
  proxy = await startFaultProxy(lab.lab.server);
  proxy.resetAfterClientChunk(1); // cut right after the stream header, from the first connection on
  const config = join(lab.stateDir, "..", "serve.yaml");
  await writeFile(
    config,
    [
      `repo: ${lab.repo}`,
      `stateDir: ${join(lab.stateDir, "..", "serve-state")}`,
      "listen: { host: 127.0.0.1, port: 0 }",
      "poll: { intervalSeconds: 0 }",
      'drift: { schedule: "*/2 * * * * *" }',
      "shutdownGraceSeconds: 5",
    ].join("\n"),
  );
  child = spawn(process.execPath, ["bin/reconciler.mjs", "serve", "-c", config], {
    env: {
      PATH: process.env.PATH,
      HOME: lab.stateDir,
      ...lab.lab.env,
      RECONCILER_XMPP_HOST: proxy.host,
      RECONCILER_XMPP_PORT: String(proxy.port),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (d) => (out += d));
  child.stderr!.on("data", (d) => (err += d));
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start:\n${out}\n${err}`)), 30_000);
    child.stdout!.on("data", () => {
      const line = out.split("\n").find((l) => l.includes('"service listening"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).url);
      }
    });
    child.once("exit", (code) => reject(new Error(`serve exited ${code}:\n${out}\n${err}`)));
  });
});

afterAll(async () => {
  if (child && child.exitCode === null) {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
  }
  await proxy?.close();
  await lab?.cleanup();
});

async function runs(): Promise<Run[]> {
  return (await (await fetch(`${url}/api/runs`)).json()) as Run[];
}

async function waitForRuns(match: (run: Run) => boolean, count: number, ms = 60_000): Promise<Run[]> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const found = (await runs()).filter((r) => r.finishedAt && match(r));
    if (found.length >= count) return found;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`fewer than ${count} matching runs within ${ms} ms; log:\n${out.slice(-3000)}\n${err}`);
}

describe("serve while the XMPP connection is cut", () => {
  it("keeps serving through resets at connect and mid-run, and checks the fabric once the path is back", async () => {
    const refused = await waitForRuns((r) => r.kind === "drift" && r.outcome === "unreachable", 2);
    expect(refused[0]!.summary).toMatch(/cannot reach the XMPP server: .*\(ECONNRESET\)/);
    expect(child.exitCode).toBe(null);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    // let it connect, and cut every connection while the next checks run
    proxy.resetAfterClientChunk(undefined);
    const cuts = setInterval(() => proxy.resetAll(), 150);
    try {
      await new Promise((resolve) => setTimeout(resolve, 4000));
    } finally {
      clearInterval(cuts);
    }
    expect(child.exitCode).toBe(null);

    const checked = await waitForRuns(
      (r) => r.kind === "drift" && (r.outcome === "in-sync" || r.outcome === "drift"),
      1,
    );
    expect(checked.length).toBeGreaterThan(0);
    // every run that ended meanwhile ended with an outcome, never as a crash of the service
    for (const run of await runs())
      if (run.finishedAt) expect(run.outcome).toMatch(/^(unreachable|in-sync|drift)$/);
    expect(child.exitCode).toBe(null);
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    const log = `${out}\n${err}`;
    expect(log).not.toMatch(/unhandled|uncaught/i);
    expect(err).not.toMatch(/at .*\.js:\d+/);
  });
});

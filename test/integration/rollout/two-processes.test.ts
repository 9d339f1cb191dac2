/**
 * Two reconciler processes on one fabric, as an operator runs them: a `plan` started while an `apply`
 * runs (same XMPP account: each process has its own resource, so neither kicks the other off), and an
 * `apply` from a second clone of the repo (one writer per fabric: the lock is the fabric's, not the
 * checkout's). Real CLI processes, real Prosody, simulated switches.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";

const run = promisify(execFile);
let lab: FabricLab;

beforeAll(async () => {
  lab = await startFabricLab({ running: outdated });
});
afterAll(() => lab?.cleanup());

const env = () => ({ ...process.env, ...lab.lab.env, NO_COLOR: "1" });

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      "node",
      ["bin/reconciler.mjs", ...args, "--state-dir", lab.stateDir],
      {
        env: env(),
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function startApply(): {
  child: ChildProcess;
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
} {
  const child = spawn(
    "node",
    ["bin/reconciler.mjs", "apply", lab.repo, "--yes", "--state-dir", lab.stateDir],
    {
      env: env(),
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

async function waitForStep(device: string, step: string): Promise<string> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const hit = (await lab.journal.read()).find(
      (r) => r.event === "step" && r.devices?.some((d) => d.device === device && d.outcome === step),
    );
    if (hit) return hit.runId;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${step} step for ${device}`);
}

describe("two reconciler processes on one fabric", () => {
  it("a plan and an apply from a second clone, started during an apply, leave it to succeed", async () => {
    // slow canary replies keep the apply in its first wave while the others run
    await lab.lab.fleet.get("spine1").setFaults([{ kind: "slow-reply", ms: 2000 }]);
    const clone = join(lab.stateDir, "..", "second-clone");
    await simpleGit().clone(lab.repo, clone);

    const { done } = startApply();
    const runId = await waitForStep("spine1", "staged");
    const [planned, second] = await Promise.all([
      cli("plan", lab.repo, "--detailed-exitcode"),
      cli("apply", clone, "--yes"),
    ]);
    const applied = await done;

    // the plan ran beside the apply (changes left, or none once the apply was through: 2 or 0, never
    // unreachable) and knocked nobody off XMPP
    expect(planned.stderr).not.toMatch(/conflict|replaced|lost/i);
    expect([0, 2]).toContain(planned.code);
    expect(planned.stdout).toMatch(/Plan for fabric securitydemo/);
    // the second clone is the same fabric: refused while the first writer runs
    expect(second.code).toBe(4);
    expect(second.stderr).toMatch(
      new RegExp(`another run holds the lock of fabric ${lab.fabric.name}: run ${runId}`),
    );

    expect(applied.stderr).toBe("");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/spine1\s+changed/);
    expect(applied.stdout).toMatch(/leaf4\s+changed/);
    for (const leaf of ["leaf1", "leaf2", "leaf3", "leaf4"])
      expect(lab.lab.fleet.get(leaf).runningConfig()).toContain("ntp server 10.250.0.11 iburst");
    const records = await lab.journal.read();
    expect(records.find((r) => r.runId === runId && r.event === "finished")?.outcome).toBe("succeeded");
    // the clone's refusal is in its own checkout's journal; this fabric's journal has the one apply
    expect(records.filter((r) => r.kind === "apply" && r.event === "finished")).toHaveLength(1);
  });
});

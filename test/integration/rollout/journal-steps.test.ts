/**
 * The journal tells the truth through faults: each switch's step is written as it happens; a CLI apply
 * killed with SIGKILL after a confirm, and one whose state directory fills up (/dev/full) mid-apply,
 * leave a record the next apply reads together with the switches' own answer, and finishes. Real CLI
 * processes, real Prosody, simulated switches.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { link, rename, rm, symlink } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renderConfig } from "../../../reconciler/sim/cli/config-tree.ts";
import type { JournalRecord } from "../../../reconciler/src/journal/index.ts";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";

const run = promisify(execFile);
let lab: FabricLab;

beforeAll(async () => {
  lab = await startFabricLab({
    running: outdated,
    editFabricYaml: (yaml) =>
      yaml.replace(/replyTimeout: .*/, "replyTimeout: 4s").replace(/verifyTimeout: .*/, "verifyTimeout: 6s"),
  });
});
afterAll(() => lab?.cleanup());
beforeEach(() => lab.reset(outdated));

const args = () => ["bin/reconciler.mjs", "apply", lab.repo, "--yes", "--state-dir", lab.stateDir];
const env = () => ({ ...process.env, ...lab.lab.env, NO_COLOR: "1" });
const journalPath = () => join(lab.fabricStateDir, "journal.jsonl");

async function cli(): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run("node", args(), { env: env() });
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
  const child = spawn("node", args(), { env: env(), stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (d) => (stdout += d));
  child.stderr!.on("data", (d) => (stderr += d));
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on("exit", (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done };
}

/** Waits until a run that is not in `before` journals `step` for `device`; returns that run's id. */
async function waitForStep(
  before: Set<string>,
  device: string,
  step: string,
  timeoutMs = 30_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const records = await lab.journal.read();
    const hit = records.find(
      (r) =>
        !before.has(r.runId) &&
        r.event === "step" &&
        r.devices?.some((d) => d.device === device && d.outcome === step),
    );
    if (hit) return hit.runId;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no ${step} step for ${device} in the journal`);
}

const runIds = async () => new Set((await lab.journal.read()).map((r) => r.runId));
const stepsOf = (records: JournalRecord[], runId: string, device: string) =>
  records
    .filter((r) => r.runId === runId && r.event === "step")
    .flatMap((r) => r.devices ?? [])
    .filter((d) => d.device === device)
    .map((d) => d.outcome);
const spine1 = () => lab.lab.fleet.get("spine1");
const startupOf = (device: string) => renderConfig(lab.lab.fleet.get(device).store.startup, []);

describe("the journal through a crash and a full disk", () => {
  it("after kill -9 between confirm and save, the next apply reports 'confirmed but not saved' and saves", async () => {
    // the canary's save never answers, so the kill lands after its confirm and before its save
    await spine1().setFaults([{ kind: "hang", pattern: "copy running-config startup-config" }]);
    const before = await runIds();
    const { child, done } = startApply();
    const runId = await waitForStep(before, "spine1", "confirmed");
    child.kill("SIGKILL");
    expect((await done).code).toBe(null);
    const killed = (await lab.journal.read()).filter((r) => r.runId === runId);
    expect(killed.some((r) => r.event === "finished")).toBe(false);
    expect(stepsOf(killed, runId, "spine1")).toEqual(["staged", "timer-running", "confirmed"]);
    expect(spine1().runningConfig()).toContain("description leaf1 Ethernet1");
    expect(startupOf("spine1")).not.toContain("description leaf1 Ethernet1");

    await spine1().setFaults([]);
    const next = await cli();
    expect(next.stderr).toBe("");
    expect(next.code).toBe(0);
    expect(next.stdout).toContain(`spine1: confirmed but not saved: saved now (run ${runId})`);
    expect(startupOf("spine1")).toContain("description leaf1 Ethernet1");
    expect(lab.lab.fleet.get("leaf1").runningConfig()).toContain("ntp server 10.250.0.11 iburst");
    const closed = (await lab.journal.read()).find((r) => r.runId === runId && r.event === "finished");
    expect(closed).toMatchObject({ outcome: "interrupted" });
    expect(closed?.devices?.find((d) => d.device === "spine1")).toMatchObject({
      outcome: "confirmed",
      reason: expect.stringMatching(/saved now/),
    });
  });

  it("when the state dir fills up mid-apply, commits nothing more that stays, prints the outcome, exits 4; the next apply finishes", async () => {
    await spine1().setFaults([{ kind: "slow", ms: 800 }]); // a window between commit and confirm
    const kept = `${journalPath()}.kept`;
    const before = await runIds();
    const { done } = startApply();
    const runId = await waitForStep(before, "spine1", "timer-running");
    // One atomic swap (the rollout writes all the while): the journal so far stays under `kept` (a
    // hard link), and the path becomes /dev/full, where every write fails with ENOSPC.
    const full = `${journalPath()}.full`;
    await symlink("/dev/full", full);
    await link(journalPath(), kept);
    await rename(full, journalPath());
    let result: Awaited<typeof done>;
    try {
      result = await done;
    } finally {
      await rm(journalPath(), { force: true });
      await rename(kept, journalPath());
    }
    expect(result.code).toBe(4);
    expect(result.stderr).toMatch(/cannot write the journal .*journal\.jsonl \(ENOSPC\)/);
    expect(result.stdout).toMatch(/spine1\s+changed/);
    // The leaf wave goes live once the canary verified, which may be before a write failed: it then
    // rolls back when its own write fails. Either way no leaf keeps the change.
    expect(result.stdout).toMatch(
      /leaf1\s+(untouched\s+wave 1\s+rollout stopped: the journal cannot be written|rolled-back\s+wave 1\s+.*cannot write the journal)/,
    );
    expect(spine1().runningConfig()).toContain("description leaf1 Ethernet1");
    expect(lab.lab.fleet.get("leaf1").runningConfig()).toContain("ntp server 10.250.0.99 iburst");
    // what reached the disk: the steps up to the timer, and no end
    const written = (await lab.journal.read()).filter((r) => r.runId === runId);
    expect(stepsOf(written, runId, "spine1")).toEqual(["staged", "timer-running"]);
    expect(written.some((r) => r.event === "finished")).toBe(false);

    await spine1().setFaults([]);
    const next = await cli();
    expect(next.code).toBe(0);
    // the journal said "timer running"; the switch says the session completed: the switch wins
    expect(next.stdout).toContain(
      `spine1: confirmed (the journal had not recorded it) but not saved: saved now (run ${runId})`,
    );
    expect(lab.lab.fleet.get("leaf1").runningConfig()).toContain("ntp server 10.250.0.11 iburst");
    const closed = (await lab.journal.read()).find((r) => r.runId === runId && r.event === "finished");
    expect(closed?.outcome).toBe("interrupted");
  });
});

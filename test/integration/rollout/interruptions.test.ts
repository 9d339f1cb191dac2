import { spawn } from "node:child_process";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isProcessAlive, runHistory } from "../../../reconciler/src/journal/index.ts";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";

/** A 3-second commit timer: long enough to verify, short enough to watch a rollback happen. */
const quick = (yaml: string) =>
  yaml
    .replace(/commitTimer: .*/, 'commitTimer: "00:00:03"')
    .replace(/replyTimeout: .*/, "replyTimeout: 3s")
    .replace(/verifyTimeout: .*/, "verifyTimeout: 5s");

let lab: FabricLab;
beforeAll(async () => {
  lab = await startFabricLab({ running: outdated, editFabricYaml: quick });
});
afterAll(() => lab?.cleanup());
beforeEach(() => lab.reset(outdated));

const runningOf = (device: string) => lab.lab.fleet.get(device).runningConfig();
const snapshot = () => new Map([...lab.lab.fleet.switches.keys()].map((d) => [d, runningOf(d)]));
const outcomes = (devices: { device: string; outcome: string }[]) =>
  Object.fromEntries(devices.map((d) => [d.device, d.outcome]));

async function waitFor(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe("interrupted and failed rollouts", () => {
  it("rolls back a wave when a switch's running config does not match the prediction after commit", async () => {
    // leaf2 accepts the NTP line but does not apply it: only verification can see that.
    await lab.lab.fleet.get("leaf2").setFaults([{ kind: "ignore", pattern: "ntp server 10.250.0.11" }]);
    const before = snapshot();
    const applied = await lab.runner().apply({ trigger: "cli" });
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.result.outcome).toBe("failed");
    expect(outcomes(applied.result.devices)).toMatchObject({
      spine1: "changed",
      leaf1: "rolled-back",
      leaf2: "rolled-back",
      leaf3: "rolled-back",
      leaf4: "rolled-back",
    });
    expect(applied.result.devices.find((d) => d.device === "leaf2")?.reason).toMatch(
      /verification: running config differs from the prediction/,
    );
    for (const leaf of ["leaf1", "leaf2", "leaf3", "leaf4"])
      expect(runningOf(leaf), leaf).toBe(before.get(leaf));
  });

  it("survives Prosody restarting during apply: the wave is rolled back and a new apply succeeds", async () => {
    const before = snapshot();
    let restarted: Promise<void> | undefined;
    const runner = lab.runner({
      onEvent: (event) => {
        if (event.type === "device" && event.phase === "staged" && event.device === "leaf1" && !restarted)
          restarted = lab.lab.server.restart();
      },
    });
    const applied = await runner.apply({ trigger: "cli" });
    if (!applied.ok) throw new Error(applied.message);
    await restarted;
    expect(applied.result.outcome).toBe("failed");
    const leaves = applied.result.devices.filter((d) => d.device.startsWith("leaf"));
    for (const leaf of leaves) expect(["rolled-back", "unknown"]).toContain(leaf.outcome);
    // whatever reached a leaf is undone: aborted, or rolled back by its commit timer
    await waitFor("leaves back to their old config", () =>
      ["leaf1", "leaf2", "leaf3", "leaf4"].every((l) => runningOf(l) === before.get(l)),
    );
    await waitFor("switches back online", () =>
      [...lab.lab.fleet.switches.values()].every((s) => s.isOnline && s.rooms().length === 2),
    );

    const again = await lab.runner().apply({ trigger: "cli" });
    if (!again.ok) throw new Error(again.message);
    expect(again.result.outcome).toBe("succeeded");
  });

  it("lets the commit timer roll back a switch when the reconciler is killed mid-apply, and journals the run as interrupted", async () => {
    const before = runningOf("spine1");
    // spine1 answers every message 1.5 s late: the run waits in the commit-timer window, confirm not yet sent
    await lab.lab.fleet.get("spine1").setFaults([{ kind: "slow-reply", ms: 1500 }]);
    const child = spawn(
      "node",
      ["bin/reconciler.mjs", "apply", lab.repo, "--yes", "--state-dir", lab.stateDir],
      {
        env: { ...process.env, ...lab.lab.env, RECONCILER_STATE_DIR: "" },
        stdio: "ignore",
      },
    );
    const spine1 = lab.lab.fleet.get("spine1");
    await waitFor("spine1's commit timer", () =>
      [...spine1.store.sessions.values()].some((s) => s.state === "pendingCommitTimer"),
    );
    expect(runningOf("spine1")).not.toBe(before);
    child.kill("SIGKILL");
    await new Promise((resolve) => child.on("exit", resolve));

    await waitFor("the commit timer to roll spine1 back", () => runningOf("spine1") === before, 10_000);
    expect(runHistory(await lab.journal.read(), isProcessAlive)[0]).toMatchObject({
      kind: "apply",
      outcome: "interrupted",
    });

    await spine1.setFaults([]);
    const next = await lab.runner().apply({ trigger: "cli" });
    if (!next.ok) throw new Error(next.message);
    expect(next.result.outcome).toBe("succeeded");
    const records = await lab.journal.read();
    expect(
      records.some(
        (r) => r.event === "finished" && r.outcome === "interrupted" && /process died/.test(r.message ?? ""),
      ),
    ).toBe(true);
  });
});

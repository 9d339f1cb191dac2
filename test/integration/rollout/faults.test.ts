import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { isProcessAlive, runHistory } from "../../../reconciler/src/journal/index.ts";
import { fileLocks } from "../../../reconciler/src/lock/index.ts";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";

let lab: FabricLab;
const shortTimeouts = (yaml: string) =>
  yaml.replace(/replyTimeout: .*/, "replyTimeout: 2s").replace(/verifyTimeout: .*/, "verifyTimeout: 4s");

beforeAll(async () => {
  lab = await startFabricLab({ running: outdated, editFabricYaml: shortTimeouts });
});
afterAll(() => lab?.cleanup());
beforeEach(() => lab.reset(outdated));

const runningOf = (device: string) => lab.lab.fleet.get(device).runningConfig();
function snapshot(): Map<string, string> {
  return new Map([...lab.lab.fleet.switches.keys()].map((d) => [d, runningOf(d)]));
}
function outcomes(devices: { device: string; outcome: string }[]) {
  return Object.fromEntries(devices.map((d) => [d.device, d.outcome]));
}

describe("rollout faults against the simulator over Prosody", () => {
  it("plans around an offline switch and refuses to apply unless unreachable switches are allowed", async () => {
    await lab.lab.fleet.get("leaf4").setFaults(["offline"]);
    const runner = lab.runner();
    const planned = await runner.plan({ trigger: "cli" });
    if (!planned.ok) throw new Error(planned.message);
    expect(planned.plan.devices.find((d) => d.device === "leaf4")?.status).toBe("unreachable");
    expect(planned.plan.summary.unreachable).toBe(1);

    const before = snapshot();
    const refused = await runner.apply({ trigger: "cli" });
    expect(refused).toMatchObject({ ok: false, code: "unreachable", exitCode: 5 });
    if (refused.ok) throw new Error("applied");
    // every unreachable switch with its reason for --json; the message counts and names it
    expect(refused.devices).toEqual([
      { device: "leaf4", code: expect.any(String), reason: expect.any(String) },
    ]);
    expect(refused.message).toMatch(/^cannot reach or plan 1 of \d+ switches: \S+: leaf4: /);
    expect(snapshot()).toEqual(before);

    const applied = await runner.apply({ trigger: "cli", allowUnreachable: true });
    if (!applied.ok) throw new Error(applied.message);
    expect(outcomes(applied.result.devices)).toMatchObject({
      leaf1: "changed",
      leaf4: "untouched",
      spine1: "changed",
    });
  });

  it("rolls back the canary group when one of its switches rejects a command, and leaves later groups untouched", async () => {
    await lab.reset((device, intended) =>
      outdated(device, intended).replace("logging host 10.250.0.20", "logging host 10.250.0.21"),
    );
    await lab.lab.fleet.get("spine2").setFaults([{ kind: "reject", pattern: "logging host 10.250.0.20" }]);
    const before = snapshot();
    const applied = await lab.runner().apply({ trigger: "cli" });
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.result.outcome).toBe("failed");
    expect(outcomes(applied.result.devices)).toEqual({
      spine1: "rolled-back",
      spine2: "rolled-back",
      leaf1: "untouched",
      leaf2: "untouched",
      leaf3: "untouched",
      leaf4: "untouched",
    });
    expect(applied.result.devices.find((d) => d.device === "spine2")?.reason).toMatch(/% Invalid input/);
    expect(snapshot()).toEqual(before);
  });

  it("rolls back a wave whose switch does not answer in time", async () => {
    const before = snapshot();
    // leaf3 answers while planning, then goes silent when the leaf wave starts.
    const runner = lab.runner({
      onEvent: (event) => {
        if (event.type === "wave-start" && event.wave === 1)
          void lab.lab.fleet.get("leaf3").setFaults(["drop-reply"]);
      },
    });
    const applied = await runner.apply({ trigger: "cli" });
    if (!applied.ok) throw new Error(applied.message);
    expect(outcomes(applied.result.devices)).toMatchObject({
      spine1: "changed",
      leaf1: "rolled-back",
      leaf3: "rolled-back",
    });
    expect(applied.result.devices.find((d) => d.device === "leaf3")?.reason).toMatch(/timeout/);
    for (const leaf of ["leaf1", "leaf2", "leaf3", "leaf4"]) expect(runningOf(leaf)).toBe(before.get(leaf));
  });

  it("refuses a saved plan when a switch's running config changed since planning", async () => {
    const runner = lab.runner();
    const planned = await runner.plan({ trigger: "cli" });
    if (!planned.ok) throw new Error(planned.message);
    lab.lab.fleet.get("leaf2").drift(["vlan 3999", "   name out-of-band"]);
    const before = snapshot();
    const refused = await runner.applyPlan(planned.plan, { trigger: "cli" });
    expect(refused).toMatchObject({ ok: false, code: "stale-plan", exitCode: 1 });
    if (!refused.ok) {
      expect(refused.message).toMatch(
        /1 switch \(leaf2\) changed since the plan was made; run `reconciler plan` again/,
      );
      expect(refused.devices?.map((d) => d.device)).toEqual(["leaf2"]);
    }
    expect(snapshot()).toEqual(before);
  });

  it("refuses a second apply while another holds the fabric lock", async () => {
    const held = await fileLocks(join(lab.stateDir, "locks")).acquire(lab.fabric.name, "other-run");
    try {
      const before = snapshot();
      const refused = await lab.runner().apply({ trigger: "cli" });
      expect(refused).toMatchObject({ ok: false, code: "locked", exitCode: 4 });
      if (!refused.ok) expect(refused.message).toMatch(/run other-run, pid \d+/);
      expect(snapshot()).toEqual(before);
    } finally {
      await held.release();
    }
    const runs = runHistory(await lab.journal.read(), isProcessAlive);
    expect(runs[0]).toMatchObject({ kind: "apply", outcome: "refused" });
  });
});

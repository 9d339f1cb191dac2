/**
 * What each way of verifying a commit (rollout.verify) sees of a change made on the switch behind the
 * reconciler's back while it applies: real XMPP server, simulated switches, the fabric runner.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { RunnerEvent } from "../../../reconciler/src/reconcile/index.ts";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";

let lab: FabricLab;
beforeAll(async () => {
  lab = await startFabricLab({ running: outdated });
});
afterAll(() => lab?.cleanup());
beforeEach(() => lab.reset(outdated));

const runningOf = (device: string) => lab.lab.fleet.get(device).runningConfig();
const OUT_OF_BAND = ["vlan 3999", "   name CONSOLE-EDIT"];

/** Applies with `edit` done on leaf1's console when `when` first matches a rollout event. */
async function applyWithConsoleEdit(when: (event: RunnerEvent) => boolean) {
  let edited = false;
  const runner = lab.runner({
    onEvent: (event) => {
      if (edited || !when(event)) return;
      edited = true;
      lab.lab.fleet.get("leaf1").drift(OUT_OF_BAND);
    },
  });
  const applied = await runner.apply({ trigger: "cli" });
  if (!applied.ok) throw new Error(applied.message);
  expect(edited).toBe(true);
  return applied.result;
}

const leaf1Staged = (e: RunnerEvent) => e.type === "device" && e.phase === "staged" && e.device === "leaf1";
// The rollout begins: the plan is made, no session is open yet.
const beforeStaging = (e: RunnerEvent) => e.type === "phase" && e.phase === "apply";

describe("verifying by session diff (the default)", () => {
  it("fails the wave, and keeps the console's edit, when the switch changed after its session began", async () => {
    // The session is the config as it was when staging began: committing it would undo the edit.
    const result = await applyWithConsoleEdit(leaf1Staged);
    expect(result.outcome).toBe("failed");
    const leaf1 = result.devices.find((d) => d.device === "leaf1");
    expect(leaf1?.outcome).toBe("rolled-back");
    expect(leaf1?.reason).toMatch(/verification: the switch's session diff does not fit the running config/);
    expect(runningOf("leaf1")).toContain("name CONSOLE-EDIT");
    expect(runningOf("leaf1")).toContain("ntp server 10.250.0.99 iburst");
  });

  it("applies the change and leaves an edit made elsewhere before staging to the drift scan", async () => {
    const result = await applyWithConsoleEdit(beforeStaging);
    expect(result.outcome).toBe("succeeded");
    expect(runningOf("leaf1")).toContain("ntp server 10.250.0.11 iburst");
    expect(runningOf("leaf1")).toContain("name CONSOLE-EDIT");
    const drift = await lab.runner().drift({ trigger: "cli" });
    if (!drift.ok) throw new Error(drift.message);
    const leaf1 = drift.report.devices.find((d) => d.device === "leaf1");
    expect(leaf1?.status).toBe("drifted");
    expect(leaf1?.diff).toContain("vlan 3999");
  });
});

describe("verifying by reading the running config back (verify: running-config)", () => {
  beforeAll(async () => {
    await lab.commit(
      "fabric.yaml",
      (text) => text.replace("verify: session-diff", "verify: running-config"),
      "Verify by read-back",
    );
  });

  it("fails the wave when the switch was changed anywhere since the plan", async () => {
    const result = await applyWithConsoleEdit(beforeStaging);
    expect(result.outcome).toBe("failed");
    const leaf1 = result.devices.find((d) => d.device === "leaf1");
    expect(leaf1?.reason).toMatch(/verification: running config differs from the prediction at .*vlan 3999/);
    expect(runningOf("leaf1")).toContain("ntp server 10.250.0.99 iburst");
    expect(runningOf("leaf1")).toContain("name CONSOLE-EDIT");
  });
});

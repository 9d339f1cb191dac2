import { afterEach, describe, expect, it } from "vitest";
import { compareInScope, parseConfig } from "../../../reconciler/src/eos/index.ts";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";

let lab: FabricLab | undefined;
afterEach(async () => {
  await lab?.cleanup();
  lab = undefined;
});

/** Rollout uses only operations that work in both CLI framings (DESIGN §8); prove it end to end. */
describe.each([
  { cliMode: "per-sender" as const, echoThread: true },
  { cliMode: "per-sender" as const, echoThread: false },
  { cliMode: "multiline" as const, echoThread: false },
])("apply with cliMode $cliMode, thread echo $echoThread", ({ cliMode, echoThread }) => {
  it("stages, commits, verifies and confirms every switch, group room included", async () => {
    lab = await startFabricLab({
      running: outdated,
      cliMode,
      echoThread,
      editFabricYaml: (y) => y.replace("cliMode: auto", `cliMode: ${cliMode}`),
    });
    const outcome = await lab.runner().apply({ trigger: "cli" });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.plan.summary.groupBatches).toBe(1);
    expect(outcome.result.outcome).toBe("succeeded");
    for (const device of Object.keys(lab.fabric.devices)) {
      const live = parseConfig(lab.lab.fleet.get(device).runningConfig());
      expect(compareInScope(live, parseConfig(lab.intended(device)), lab.fabric.scope).equal, device).toBe(
        true,
      );
    }
  });
});

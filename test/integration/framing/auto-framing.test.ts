import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { compareInScope, parseConfig } from "../../../reconciler/src/eos/index.ts";
import type { CliMode } from "../../../reconciler/src/fabric/types.ts";
import type { FramingRecord } from "../../../reconciler/src/framing/index.ts";
import type { Plan } from "../../../reconciler/src/plan/index.ts";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";

let lab: FabricLab | undefined;
afterEach(async () => {
  await lab?.cleanup();
  lab = undefined;
});

const framingOf = (plan: Plan) =>
  Object.fromEntries(plan.devices.map((d) => [d.device, `${d.framing?.mode} ${d.framing?.source}`]));

async function remembered(l: FabricLab): Promise<Record<string, FramingRecord>> {
  return JSON.parse(await readFile(join(l.fabricStateDir, "framing.json"), "utf8"));
}

async function applyAndVerify(l: FabricLab): Promise<Plan> {
  const outcome = await l.runner().apply({ trigger: "cli" });
  if (!outcome.ok) throw new Error(outcome.message);
  expect(outcome.result.outcome).toBe("succeeded");
  for (const device of Object.keys(l.fabric.devices)) {
    const live = parseConfig(l.lab.fleet.get(device).runningConfig());
    expect(compareInScope(live, parseConfig(l.intended(device)), l.fabric.scope).equal, device).toBe(true);
  }
  // the probe leaves no config session behind on any switch
  for (const sw of l.lab.fleet.switches.values())
    expect([...sw.store.sessions.keys()].filter((n) => n.startsWith("reconciler-probe"))).toEqual([]);
  return outcome.plan;
}

describe.each([
  { cliMode: "multiline" as const, echoThread: true },
  { cliMode: "multiline" as const, echoThread: false },
  { cliMode: "per-sender" as const, echoThread: true },
  { cliMode: "per-sender" as const, echoThread: false },
])("cliMode auto, switches $cliMode, thread echo $echoThread", ({ cliMode, echoThread }) => {
  it("detects the framing at first contact, says it in the plan, applies, and remembers it", async () => {
    lab = await startFabricLab({ running: outdated, cliMode, echoThread });
    expect(lab.fabric.xmpp.cliMode).toBe("auto");
    const plan = await applyAndVerify(lab);
    const names = Object.keys(lab.fabric.devices).sort();
    expect(framingOf(plan)).toEqual(Object.fromEntries(names.map((n) => [n, `${cliMode} detected`])));
    expect(plan.summary.groupBatches).toBe(1); // one framing for the whole leaf room
    const records = await remembered(lab);
    for (const n of names) expect(records[n]).toMatchObject({ mode: cliMode, resource: "eos" });

    const again = await lab.runner().plan({ trigger: "cli" });
    if (!again.ok) throw new Error(again.message);
    expect(framingOf(again.plan)).toEqual(Object.fromEntries(names.map((n) => [n, `${cliMode} remembered`])));
    expect(again.plan.summary.changed).toBe(0);
  });
});

describe("cliMode auto in a mixed fabric", () => {
  const modes: Record<string, CliMode> = {
    spine1: "per-sender",
    spine2: "multiline",
    leaf1: "per-sender",
    leaf2: "multiline",
    leaf3: "per-sender",
    leaf4: "per-sender",
  };

  it("frames each switch its own way and sends no room message to members that differ", async () => {
    lab = await startFabricLab({
      running: outdated,
      cliMode: (d) => modes[d]!,
      echoThread: (d) => d !== "leaf3" && d !== "spine2",
    });
    const plan = await applyAndVerify(lab);
    expect(framingOf(plan)).toEqual(
      Object.fromEntries(Object.entries(modes).map(([d, m]) => [d, `${m} detected`])),
    );
    expect(plan.summary.groupBatches).toBe(0);
    expect(plan.batches.filter((b) => b.target.kind === "device")).toHaveLength(5);
  });

  it("probes again when a switch comes back with a new resource, and uses the new framing", async () => {
    lab = await startFabricLab({ running: outdated, cliMode: "multiline" });
    const first = await lab.runner().plan({ trigger: "cli" });
    if (!first.ok) throw new Error(first.message);
    expect(first.plan.devices.find((d) => d.device === "leaf2")?.framing).toEqual({
      mode: "multiline",
      source: "detected",
    });

    // leaf2 reloads onto software that frames per sender; it logs in with a new resource
    const leaf2 = lab.lab.fleet.get("leaf2");
    await leaf2.stop();
    leaf2.cliMode = "per-sender";
    leaf2.resource = "eos-reloaded";
    await leaf2.start();
    await new Promise((r) => setTimeout(r, 200)); // its presence reaches the reconciler's next session

    const plan = await applyAndVerify(lab);
    expect(framingOf(plan)).toMatchObject({
      leaf1: "multiline remembered",
      leaf2: "per-sender detected",
      spine1: "multiline remembered",
    });
    expect((await remembered(lab)).leaf2).toMatchObject({ mode: "per-sender", resource: "eos-reloaded" });
  });
});

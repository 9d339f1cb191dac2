import { beforeAll, describe, expect, it } from "vitest";
import { compareInScope, parseConfig } from "../../../reconciler/src/eos/index.ts";
import { loadFabric, renderIntended } from "../../../reconciler/src/fabric/index.ts";
import type { Fabric } from "../../../reconciler/src/fabric/types.ts";
import { buildPlan, type Observation, planDevice } from "../../../reconciler/src/plan/index.ts";
import { styleFor } from "../../../reconciler/src/report/style.ts";
import { renderPlanText } from "../../../reconciler/src/report/text-plan.ts";

let fabric: Fabric;
let intended: Map<string, string>;
const revision = { sha: "a".repeat(40), source: "test" };
const now = new Date("2026-06-01T00:00:00Z");

beforeAll(async () => {
  const loaded = await loadFabric("fabric-repo-example");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  // Spines first as the canary group, so the leaf room can carry the leaves' shared change.
  fabric = {
    ...loaded.fabric,
    rollout: { ...loaded.fabric.rollout, order: ["spine", "leaf"], canarySwitches: 0 },
  };
  intended = new Map(Object.keys(fabric.devices).map((d) => [d, renderIntended(fabric, d).text]));
});

function observe(change: (device: string, text: string) => string): Map<string, Observation> {
  return new Map([...intended].map(([d, text]) => [d, { ok: true, text: change(d, text) }]));
}

describe("buildPlan", () => {
  it("has nothing to do when every switch runs its intended config", () => {
    const plan = buildPlan({ fabric, revision, intended, observed: observe((_, t) => t) });
    expect(plan.summary).toMatchObject({ devices: 6, changed: 0, inSync: 6, batches: 0 });
    expect(plan.waves).toEqual([]);
  });

  it("sends a change every leaf needs once to the leaf room, and a leaf's own change to that leaf", () => {
    const observed = observe((device, text) => {
      let t = device.startsWith("leaf")
        ? text.replace("ntp server 10.250.0.11 iburst", "ntp server 10.250.0.99 iburst")
        : text;
      if (device === "leaf3")
        t = t.replace("   description storage access (STORAGE)", "   description old text");
      return t;
    });
    const plan = buildPlan({ fabric, revision, intended, observed });
    expect(plan.waves).toEqual([["leaf1", "leaf2", "leaf3", "leaf4"]]);
    expect(plan.batches.map((b) => [b.id, b.commands])).toEqual([
      ["group:leaf", ["ntp server 10.250.0.11 iburst", "no ntp server 10.250.0.99"]],
      ["device:leaf3", ["interface Ethernet4", "   description storage access (STORAGE)", "   exit"]],
    ]);
    expect(plan.summary).toMatchObject({ changed: 4, inSync: 2, groupBatches: 1, messages: 2 });
    for (const device of plan.devices.filter((d) => d.status === "changes")) {
      const check = compareInScope(
        parseConfig(device.predicted!),
        parseConfig(intended.get(device.device)!),
        fabric.scope,
      );
      expect(check.equal).toBe(true);
      expect(device.runningHash).toMatch(/^sha256:[0-9a-f]{64}$/);
      expect(device.diff).toContain("+ntp server 10.250.0.11 iburst");
    }
  });

  it("reports an unreachable switch and plans the others", () => {
    const observed = observe((_, t) => t.replace("clock timezone UTC", "clock timezone CET"));
    observed.set("spine2", { ok: false, code: "offline", message: "spine2 is offline" });
    const plan = buildPlan({ fabric, revision, intended, observed });
    expect(plan.devices.find((d) => d.device === "spine2")).toMatchObject({
      status: "unreachable",
      error: { code: "offline" },
    });
    expect(plan.summary).toMatchObject({ unreachable: 1, changed: 5 });
    expect(plan.waves[0]).toEqual(["spine1"]);
  });

  it("never sends through a room that holds a switch outside the change", () => {
    // leaf4 is in sync but in the leaf room: a groupchat would run on it too.
    const observed = observe((device, text) =>
      ["leaf1", "leaf2", "leaf3"].includes(device)
        ? text.replace("clock timezone UTC", "clock timezone CET")
        : text,
    );
    const plan = buildPlan({ fabric, revision, intended, observed });
    expect(plan.batches.every((b) => b.target.kind === "device")).toBe(true);
    expect(plan.batches).toHaveLength(3);
  });

  it("gives the same plan from switches planned as their configs arrived (planDevice) as from scratch", () => {
    const observed = observe((device, text) =>
      device.startsWith("leaf") ? text.replace("clock timezone UTC", "clock timezone CET") : text,
    );
    observed.set("spine2", { ok: false, code: "timeout", message: "no reply" });
    const parts = new Map(
      [...observed].map(([d, o]) => [d, planDevice(fabric, d, intended.get(d)!, o, now)] as const),
    );
    const fromParts = buildPlan({ fabric, revision, intended, observed, parts, now });
    expect(fromParts).toEqual(buildPlan({ fabric, revision, intended, observed, now }));
    // spine2 timed out, so it may sit in the spine room: no spine batch goes through that room.
    expect(fromParts.batches.filter((b) => b.target.kind === "group").map((b) => b.id)).toEqual([
      "group:leaf",
    ]);
    // The plan's commands are its own: rewriting them leaves the parts as planned.
    const leaf1 = fromParts.devices.find((d) => d.device === "leaf1")!;
    leaf1.commands.push("extra");
    expect(parts.get("leaf1")!.plan.commands).not.toContain("extra");
  });
});

describe("buildPlan on a routing instance EOS runs once", () => {
  it("says the change takes BGP down on that switch, in the plan and its text", () => {
    const running = intended.get("leaf3")!.replace("router bgp 65103", "router bgp 65999");
    expect(running).not.toBe(intended.get("leaf3"));
    const observed = observe((device, text) => (device === "leaf3" ? running : text));
    const plan = buildPlan({ fabric, revision, intended, observed });
    const leaf3 = plan.devices.find((d) => d.device === "leaf3")!;
    expect(leaf3.commands[0]).toBe("no router bgp 65999");
    expect(leaf3.disruptions).toEqual([
      '"router bgp 65999" → "router bgp 65103": EOS runs one such instance, so the old one is removed before the new one is entered; BGP is down on this switch in between',
    ]);
    const text = renderPlanText(plan, styleFor(false), (line) => line);
    expect(text).toContain('Disruptive changes:\n  leaf3: "router bgp 65999" → "router bgp 65103"');
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { buildDriftReport } from "../../../reconciler/src/drift/index.ts";
import { loadFabric, renderIntended } from "../../../reconciler/src/fabric/index.ts";
import type { Fabric } from "../../../reconciler/src/fabric/types.ts";
import { buildPlan, type Observation, type Plan } from "../../../reconciler/src/plan/index.ts";
import type { RolloutResult } from "../../../reconciler/src/rollout/types.ts";
import { createFabricStatus } from "../../../reconciler/src/status/index.ts";

let fabric: Fabric;
let intended: Map<string, string>;
const rev = (c: string) => ({ sha: c.repeat(40), source: "test", ref: "main" });

beforeAll(async () => {
  const loaded = await loadFabric("fabric-repo-example");
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  fabric = loaded.fabric;
  intended = new Map(Object.keys(fabric.devices).map((d) => [d, renderIntended(fabric, d).text]));
});

/** Every switch runs git's config except where `change` edits it; `offline` switches do not answer. */
function observe(change: (device: string, text: string) => string = (_, t) => t, offline: string[] = []) {
  return new Map<string, Observation>(
    [...intended].map(([d, text]) => [
      d,
      offline.includes(d)
        ? { ok: false, code: "offline", message: `${d} is offline` }
        : { ok: true, text: change(d, text) },
    ]),
  );
}

const leafNtp = (device: string, text: string) =>
  device.startsWith("leaf")
    ? text.replace("ntp server 10.250.0.11 iburst", "ntp server 10.250.0.99 iburst")
    : text;

function planOf(observed: Map<string, Observation>, c = "a"): Plan {
  return buildPlan({ fabric, revision: rev(c), intended, observed, now: new Date("2026-12-01T10:00:00Z") });
}

function applied(
  plan: Plan,
  outcome: (device: string) => RolloutResult["devices"][number]["outcome"],
): RolloutResult {
  return {
    kind: "apply",
    runId: "apply-1",
    fabric: plan.fabric,
    revision: plan.revision,
    outcome: "succeeded",
    startedAt: "2026-12-01T10:01:00Z",
    finishedAt: "2026-12-01T10:01:05Z",
    devices: plan.devices.map((d) => ({ device: d.device, outcome: outcome(d.device), wave: 0 })),
    messages: 3,
  };
}

describe("fabric status", () => {
  it("starts with every switch unknown and no sections until a run reports", () => {
    const status = createFabricStatus({ repo: "o/r", branch: "main" });
    expect(status.view()).toMatchObject({ switches: [], sections: [], counts: { switches: 0 } });
  });

  it("takes states, groups, sections and the verified revision from a plan of the tracked branch", () => {
    const status = createFabricStatus({ repo: "o/r", branch: "main" });
    status.observePlan(planOf(observe(leafNtp, ["spine2"])), { runId: "plan-1" });
    const view = status.view();
    expect(view.sections).toEqual(fabric.scope.sections);
    expect(view.counts).toMatchObject({ switches: 6, changes: 4, "in-sync": 1, unreachable: 1 });
    expect(view.groups.map((g) => g.name)).toEqual(["leaf", "spine"]);
    const leaf1 = status.switchStatus("leaf1")!;
    expect(leaf1.state).toBe("changes");
    expect(leaf1.sections.map((s) => s.section)).toEqual(["ntp"]);
    expect(leaf1.sections[0]!.lines).toBe(2);
    expect(leaf1.sections[0]!.diff).toContain("+ntp server 10.250.0.11 iburst");
    expect(status.switchStatus("spine1")).toMatchObject({
      state: "in-sync",
      presence: "online",
      lastVerified: { sha: "a".repeat(40), runId: "plan-1" },
    });
    expect(status.switchStatus("spine2")).toMatchObject({
      state: "unreachable",
      presence: "offline",
      reason: "spine2 is offline",
    });
  });

  it("redacts secrets in the remediation it keeps", () => {
    const status = createFabricStatus({ repo: "o/r", branch: "main" });
    const plan = planOf(observe(leafNtp));
    const leaf1 = plan.devices.find((d) => d.device === "leaf1")!;
    leaf1.commands = ["username ops secret sha512 hunter2", ...leaf1.commands];
    status.observePlan(plan, { runId: "p" });
    const kept = status.switchStatus("leaf1")!.remediation!.join("\n");
    expect(kept).toContain("username ops secret sha512 <redacted>");
    expect(kept).not.toContain("hunter2");
  });

  it("records a PR's plan as a pending change without touching the switch's state, until the PR drops it", () => {
    const status = createFabricStatus({ repo: "o/r", branch: "main" });
    status.observePlan(planOf(observe()), { runId: "p0" });
    status.observePlan(planOf(observe(leafNtp), "b"), { runId: "p1", pullNumber: 12, title: "Move NTP" });
    const leaf2 = status.switchStatus("leaf2")!;
    expect(leaf2.state).toBe("in-sync");
    expect(leaf2.pending).toEqual([
      {
        pullNumber: 12,
        title: "Move NTP",
        sha: "b".repeat(40),
        lines: expect.any(Number),
        at: expect.any(String),
      },
    ]);
    expect(status.view().counts.pending).toBe(4);
    status.observePlan(planOf(observe(), "c"), { runId: "p2", pullNumber: 12, title: "Move NTP" });
    expect(status.switchStatus("leaf2")!.pending).toEqual([]);
    status.observePlan(planOf(observe(leafNtp), "d"), { runId: "p3", pullNumber: 13 });
    status.pullClosed(13);
    expect(status.view().counts.pending).toBe(0);
  });

  it("marks drift with since, lines and sections, and a later plan does not hide it", () => {
    const status = createFabricStatus({ repo: "o/r", branch: "main" });
    const observed = observe((d, t) => (d === "leaf3" ? `${t}\nvlan 3999\n   name rogue\n` : t));
    const plan = planOf(observed);
    const report = buildDriftReport({
      fabric,
      runId: "drift-1",
      plan,
      intended,
      observed,
      driftingSince: new Map([["leaf3", "2026-12-01T09:00:00Z"]]),
      now: new Date("2026-12-01T10:00:00Z"),
    });
    status.observeDrift(report);
    const leaf3 = status.switchStatus("leaf3")!;
    expect(leaf3).toMatchObject({ state: "drifted", driftSince: "2026-12-01T09:00:00Z", lines: 2 });
    expect(leaf3.sections.map((s) => s.section)).toEqual(["vlan"]);
    expect(leaf3.history[0]).toMatchObject({ runId: "drift-1", kind: "drift", outcome: "drifted" });
    status.observePlan(plan, { runId: "plan-2" });
    expect(status.switchStatus("leaf3")!.state).toBe("drifted");
    expect(status.switchStatus("leaf1")!.state).toBe("in-sync");
  });

  it("after apply: changed switches are in sync at the applied revision, by the PR the comment names", () => {
    const status = createFabricStatus({ repo: "o/r", branch: "main" });
    const plan = planOf(observe(leafNtp));
    status.observePlan(plan, { runId: "p1", pullNumber: 7 });
    status.observePlan(plan, { runId: "p2" });
    const result = applied(plan, (d) =>
      d === "leaf4" ? "rolled-back" : d.startsWith("leaf") ? "changed" : "in-sync",
    );
    status.observeApply(plan, result, { runId: "j1", url: "https://github.com/o/r/pull/7#issuecomment-3" });
    const leaf1 = status.switchStatus("leaf1")!;
    expect(leaf1).toMatchObject({
      state: "in-sync",
      lastVerified: { sha: "a".repeat(40), runId: "apply-1" },
    });
    expect(leaf1.changedBy).toEqual([expect.objectContaining({ pullNumber: 7, runId: "apply-1" })]);
    expect(leaf1.pending).toEqual([]);
    expect(status.switchStatus("leaf4")!.state).toBe("changes");
    expect(status.switchStatus("leaf4")!.history[0]).toMatchObject({ kind: "apply", outcome: "rolled-back" });
  });

  it("follows a run live: phase, wave and each switch's step, gone when the run ends", () => {
    const status = createFabricStatus({ repo: "o/r", branch: "main" });
    let changes = 0;
    const off = status.onChange(() => changes++);
    status.observeEvent({ type: "phase", runId: "r1", phase: "apply" });
    status.observeEvent({ runId: "r1", type: "wave-start", wave: 1, devices: ["leaf1", "leaf2"] });
    status.observeEvent({ runId: "r1", type: "device", device: "leaf1", phase: "verified" });
    expect(status.view().live).toEqual({
      runId: "r1",
      phase: "apply",
      wave: 1,
      waveDevices: ["leaf1", "leaf2"],
      steps: { leaf1: "verified", leaf2: "waiting" },
    });
    status.runEnded();
    expect(status.view().live).toBeUndefined();
    off();
    status.runEnded();
    expect(changes).toBe(4);
  });

  it("keeps what it knew across a restart", () => {
    const first = createFabricStatus({ repo: "o/r", branch: "main" });
    first.observePlan(planOf(observe(leafNtp)), { runId: "p1" });
    const saved = JSON.parse(JSON.stringify(first.saved()));
    const second = createFabricStatus({ repo: "o/r", branch: "main", saved });
    expect(second.view()).toEqual(first.view());
  });

  it("shows the fabric hold as the last run left it, keeps it across a restart, and drops it when released", () => {
    const status = createFabricStatus({ repo: "o/r", branch: "main" });
    let changes = 0;
    status.onChange(() => changes++);
    const hold = {
      pullNumber: 10,
      sha: "1".repeat(40),
      by: "alice",
      runId: "r1",
      since: "2026-12-02T10:00:00.000Z",
      deferred: { shas: ["2".repeat(40)], pulls: [11], since: "2026-12-02T11:00:00.000Z" },
    };
    status.observeHold({ ...hold, extra: "not shown" } as typeof hold);
    status.observeHold(hold);
    expect(status.view().hold).toEqual(hold);
    expect(changes).toBe(1);
    const saved = JSON.parse(JSON.stringify(status.saved()));
    expect(createFabricStatus({ repo: "o/r", branch: "main", saved }).view().hold).toEqual(hold);
    status.observeHold(undefined);
    expect(status.view().hold).toBeUndefined();
    expect(status.saved().hold).toBeUndefined();
    expect(changes).toBe(2);
  });
});

/**
 * Streaming across waves: the next wave's batches go into its switches' sessions (nothing live) while
 * the current wave commits, verifies and confirms; when the current wave fails, those sessions are
 * aborted and the switches stay untouched. Real XMPP server, simulated switches, the fabric runner.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";

let lab: FabricLab;
beforeAll(async () => {
  lab = await startFabricLab({
    running: outdated,
    editFabricYaml: (yaml) => yaml.replace(/replyTimeout: .*/, "replyTimeout: 3s"),
  });
});
afterAll(() => lab?.cleanup());
beforeEach(() => lab.reset(outdated));

const LEAVES = ["leaf1", "leaf2", "leaf3", "leaf4"];
const sessionsOf = (device: string) => [...lab.lab.fleet.get(device).store.sessions.values()];
const outcomes = (devices: { device: string; outcome: string }[]) =>
  Object.fromEntries(devices.map((d) => [d.device, d.outcome]));

describe("streaming across waves", () => {
  it("stages the leaves while the spine canary's commit timer runs, and nothing of theirs goes live early", async () => {
    await lab.lab.fleet.get("spine1").setFaults([{ kind: "slow-reply", ms: 600 }]);
    let seen: { staged: number; live: number } | undefined;
    const runner = lab.runner({
      onEvent: (event) => {
        if (event.type !== "device" || event.device !== "spine1" || event.phase !== "verified") return;
        const sessions = LEAVES.flatMap(sessionsOf);
        seen = {
          staged: sessions.filter((s) => s.state === "pending").length,
          live: sessions.filter((s) => s.state !== "pending").length,
        };
      },
    });
    const applied = await runner.apply({ trigger: "cli" });
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.result.outcome).toBe("succeeded");
    expect(seen).toEqual({ staged: 4, live: 0 });
    for (const leaf of LEAVES) {
      expect(lab.lab.fleet.get(leaf).runningConfig(), leaf).toContain("ntp server 10.250.0.11 iburst");
      expect(sessionsOf(leaf), leaf).toEqual([]);
    }
  });

  it("aborts the leaves' sessions staged ahead when the canary fails verification, and leaves them untouched", async () => {
    // spine1 takes the description but does not apply it: only verification, after staging, sees it.
    await lab.lab.fleet.get("spine1").setFaults([
      { kind: "ignore", pattern: "description" },
      { kind: "slow-reply", ms: 300 },
    ]);
    const leafBefore = new Map(LEAVES.map((l) => [l, lab.lab.fleet.get(l).runningConfig()]));
    let stagedAhead = 0;
    const runner = lab.runner({
      onEvent: (event) => {
        if (event.type === "device" && event.device === "spine1" && event.phase === "committed")
          stagedAhead = LEAVES.flatMap(sessionsOf).length;
      },
    });
    const applied = await runner.apply({ trigger: "cli" });
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.result.outcome).toBe("failed");
    expect(stagedAhead).toBe(4);
    expect(outcomes(applied.result.devices)).toMatchObject({
      spine1: "rolled-back",
      leaf1: "untouched",
      leaf2: "untouched",
      leaf3: "untouched",
      leaf4: "untouched",
    });
    for (const leaf of LEAVES) {
      const result = applied.result.devices.find((d) => d.device === leaf);
      expect(result?.reason, leaf).toBe("rollout stopped: wave 0 failed");
      expect(sessionsOf(leaf), leaf).toEqual([]);
      expect(lab.lab.fleet.get(leaf).runningConfig(), leaf).toBe(leafBefore.get(leaf));
    }
    // the journal knows the sessions were opened and closed again
    const steps = (await lab.journal.read())
      .filter((r) => r.runId === applied.result.runId && r.event === "step")
      .flatMap((r) => r.devices ?? [])
      .filter((d) => d.device === "leaf1")
      .map((d) => d.outcome);
    expect(steps).toEqual(["staged", "rolled-back"]);
  });

  it("commits the leaves once the canary verified, and rolls them back when the canary's confirm is lost", async () => {
    const leafBefore = new Map(LEAVES.map((l) => [l, lab.lab.fleet.get(l).runningConfig()]));
    const order: string[] = [];
    const runner = lab.runner({
      onEvent: (event) => {
        if (event.type === "device" && event.device === "spine1" && event.phase === "verified")
          void lab.lab.fleet.get("spine1").setFaults(["drop-reply"]); // its confirm gets no answer
        if (event.type === "device" && event.device === "leaf1" && event.phase === "committed")
          order.push("leaf1 live");
        if (event.type === "wave-end") order.push(`wave ${event.wave} ended`);
      },
    });
    const applied = await runner.apply({ trigger: "cli" });
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.result.outcome).toBe("failed");
    // live under its commit timer while the canary's confirm was still out
    expect(order.slice(0, 2)).toEqual(["leaf1 live", "wave 0 ended"]);
    expect(outcomes(applied.result.devices)).toMatchObject({ spine1: "unknown", leaf1: "rolled-back" });
    for (const leaf of LEAVES) {
      const result = applied.result.devices.find((d) => d.device === leaf);
      expect(result?.outcome, leaf).toBe("rolled-back");
      expect(result?.reason, leaf).toMatch(/rolled back with its wave \(wave 0 was not confirmed\)/);
      expect(lab.lab.fleet.get(leaf).runningConfig(), leaf).toBe(leafBefore.get(leaf));
    }
    expect(applied.result.message).toBe("wave 0: 1 switch (spine1) not confirmed");
  });
});

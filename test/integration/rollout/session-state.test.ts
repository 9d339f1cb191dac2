import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { OpenChannel } from "../../../reconciler/src/reconcile/index.ts";
import { openFabricTransport } from "../../../reconciler/src/transport/index.ts";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";

const shortTimeouts = (yaml: string) =>
  yaml.replace(/replyTimeout: .*/, "replyTimeout: 3s").replace(/verifyTimeout: .*/, "verifyTimeout: 5s");

let lab: FabricLab;
beforeAll(async () => {
  lab = await startFabricLab({ running: outdated, editFabricYaml: shortTimeouts });
});
afterAll(() => lab?.cleanup());
beforeEach(() => lab.reset(outdated));

const runningOf = (device: string) => lab.lab.fleet.get(device).runningConfig();
const snapshot = () => new Map([...lab.lab.fleet.switches.keys()].map((d) => [d, runningOf(d)]));

/** A channel that records every script the reconciler sends. */
function recordingChannel(sent: string[][]) {
  return async (fabric: Parameters<typeof openFabricTransport>[0], repoDir: string): Promise<OpenChannel> => {
    const channel = await openFabricTransport(fabric, { env: lab.lab.env, repoDir });
    return {
      sendScript: (device, lines, opts) => {
        sent.push(lines);
        return channel.sendScript(device, lines, opts);
      },
      sendScriptToGroup: (group, lines, opts) => {
        sent.push(lines);
        return channel.sendScriptToGroup(group, lines, opts);
      },
      close: () => channel.close(),
    };
  };
}

describe("rollout records the session state the switches showed", () => {
  it("reports a session committed behind the reconciler's back as changed, not rolled back", async () => {
    const spine1 = lab.lab.fleet.get("spine1");
    const runner = lab.runner({
      onEvent: (event) => {
        // An operator commits the reconciler's staged session on spine1 before the commit timer is sent.
        if (event.type === "device" && event.device === "spine1" && event.phase === "staged")
          for (const name of [...spine1.store.sessions.keys()]) spine1.store.commit(name);
      },
    });
    const applied = await runner.apply({ trigger: "cli" });
    if (!applied.ok) throw new Error(applied.message);
    expect(applied.result.outcome).toBe("failed");
    const spine = applied.result.devices.find((d) => d.device === "spine1")!;
    expect(spine).toMatchObject({ outcome: "changed", session: "committed-outside" });
    expect(spine.reason).toMatch(/committed outside the reconciler \(no commit timer\)/);
    // the change really is live, and no timer will take it away
    expect(runningOf("spine1")).not.toContain("temporary patch");
    expect(runningOf("spine1")).toContain("description leaf1 Ethernet1");
    expect(spine1.store.sessions.size).toBe(0);
    expect(applied.result.devices.find((d) => d.device === "leaf1")?.outcome).toBe("untouched");
  });

  it("records aborted for a wave rolled back by the reconciler, and confirmed for a changed switch", async () => {
    await lab.lab.fleet.get("leaf2").setFaults([{ kind: "reject", pattern: "ntp server 10.250.0.11" }]);
    const applied = await lab.runner().apply({ trigger: "cli" });
    if (!applied.ok) throw new Error(applied.message);
    const byDevice = Object.fromEntries(
      applied.result.devices.map((d) => [d.device, [d.outcome, d.session]]),
    );
    expect(byDevice.spine1).toEqual(["changed", "confirmed"]);
    expect(byDevice.leaf2).toEqual(["rolled-back", "aborted"]);
  });

  it("sends nothing when desired config holds a commit line", async () => {
    let original = "";
    await lab.commit(
      "groups/leaf.yaml",
      (text) => {
        original = text;
        return text.replace(/^config: \|\n/m, "config: |\n  commit\n");
      },
      "Add a commit line",
    );
    try {
      const sent: string[][] = [];
      const before = snapshot();
      const applied = await lab.runner({ openChannel: recordingChannel(sent) }).apply({ trigger: "cli" });
      expect(applied).toMatchObject({ ok: false, exitCode: 1 });
      const errors = applied.ok ? [] : (applied.errors ?? []);
      expect(errors.map((e) => `${e.position.file} ${e.code} ${e.message}`)).toContainEqual(
        expect.stringMatching(/^groups\/leaf.yaml denied-command denied command "commit"/),
      );
      expect(sent.flat().filter((line) => !/^show /.test(line))).toEqual([]);
      expect(snapshot()).toEqual(before);
    } finally {
      await lab.commit("groups/leaf.yaml", () => original, "Remove it");
    }
  });

  it("refuses a saved plan whose batch was edited to hold a commit line, before sending anything", async () => {
    const runner = lab.runner();
    const planned = await runner.plan({ trigger: "cli" });
    if (!planned.ok) throw new Error(planned.message);
    const plan = structuredClone(planned.plan);
    plan.batches[0]!.commands.push("COMMIT");
    const sent: string[][] = [];
    const before = snapshot();
    const applied = await lab
      .runner({ openChannel: recordingChannel(sent) })
      .applyPlan(plan, { trigger: "cli" });
    const outcome = applied.ok ? applied.result.outcome : applied.code;
    expect(["failed", "refused"]).toContain(outcome);
    expect(sent.flat().filter((line) => /configure|commit/i.test(line))).toEqual([]);
    expect(snapshot()).toEqual(before);
  });

  it("refuses a saved plan whose batch was edited to hold a line the fabric's own policy denies", async () => {
    const runner = lab.runner();
    const planned = await runner.plan({ trigger: "cli" });
    if (!planned.ok) throw new Error(planned.message);
    const plan = structuredClone(planned.plan);
    // fabric-repo-example/fabric.yaml policy.deny: '^boot system\b'
    plan.batches[0]!.commands.push("boot system flash:EOS-4.99.swi");
    const sent: string[][] = [];
    const before = snapshot();
    const applied = await lab
      .runner({ openChannel: recordingChannel(sent) })
      .applyPlan(plan, { trigger: "cli" });
    expect(applied.ok ? applied.result.outcome : applied.code).not.toBe("applied");
    expect(sent.flat().filter((line) => /configure|boot/i.test(line))).toEqual([]);
    expect(snapshot()).toEqual(before);
  });
});

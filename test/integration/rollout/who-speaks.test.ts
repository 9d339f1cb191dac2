/**
 * Apply and plan with something else speaking for a switch, on the real Prosody with simulated switches:
 * a rogue account in a group room under a switch's nickname, a second session of a switch's own account,
 * and a switch whose reply no safe plan can be made from. The CLI runs in its own process.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";
import { type RogueClient, startRogueClient } from "../support/rogue-client.ts";

const run = promisify(execFile);
let lab: FabricLab;
const rogues: RogueClient[] = [];

beforeAll(async () => {
  lab = await startFabricLab({
    running: outdated,
    editFabricYaml: (yaml) => yaml.replace(/replyTimeout: .*/, "replyTimeout: 3s"),
  });
  await lab.lab.server.register("mallory", "mallory-pw");
});
afterAll(async () => {
  for (const r of rogues) await r.close().catch(() => undefined);
  await lab?.cleanup();
});
beforeEach(() => lab.reset(outdated));

async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      "node",
      ["bin/reconciler.mjs", ...args, "--state-dir", lab.stateDir],
      {
        env: { ...process.env, ...lab.lab.env, NO_COLOR: "1" },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const snapshot = () =>
  new Map([...lab.lab.fleet.switches.keys()].map((d) => [d, lab.lab.fleet.get(d).runningConfig()]));
const lastFinished = async (kind: string) =>
  (await lab.journal.read()).filter((r) => r.kind === kind && r.event === "finished").at(-1);
const reconcilerJid = () => lab.fabric.xmpp.reconcilerJid;

describe("who speaks for a switch during plan and apply", () => {
  it("applies through a room where a rogue account, joined as Leaf1, forges `% Invalid input`", async () => {
    const mallory = await startRogueClient(lab.lab.server, {
      user: "mallory",
      password: "mallory-pw",
      resource: "laptop",
    });
    rogues.push(mallory);
    await mallory.joinRoom(`leaf@${lab.fabric.xmpp.mucService}`, "Leaf1");
    mallory.forgeReplies(reconcilerJid(), "% Invalid input (at token 0: 'ntp')");
    try {
      const applied = await cli("apply", lab.repo, "--yes");
      expect(applied.stderr).toBe("");
      expect(applied.code).toBe(0);
      expect(mallory.received.length).toBeGreaterThan(0); // it answered the wave's room commands
      for (const leaf of ["leaf1", "leaf2", "leaf3", "leaf4"]) {
        expect(lab.lab.fleet.get(leaf).runningConfig()).toContain("ntp server 10.250.0.11 iburst");
      }
      const record = await lastFinished("apply");
      expect(record?.outcome).toBe("succeeded");
      expect(record?.devices?.find((d) => d.device === "leaf1")?.outcome).toBe("changed");
    } finally {
      await mallory.close();
    }
  });

  it("refuses to apply while a second session of leaf1's account is online, naming both (exit 5)", async () => {
    const leaf1 = lab.lab.fleet.get("leaf1");
    const impostor = await startRogueClient(
      lab.lab.server,
      { user: "leaf1", password: leaf1.spec.password ?? "", resource: "rogue" },
      { announcePresence: true },
    );
    rogues.push(impostor);
    impostor.forgeReplies(reconcilerJid(), "hostname leaf1\nvlan 666");
    const before = snapshot();
    try {
      const applied = await cli("apply", lab.repo, "--yes");
      expect(applied.code).toBe(5);
      expect(applied.stderr).toMatch(/cannot reach or plan 1 of \d+ switches: \S+: leaf1: /);
      expect(applied.stderr).toMatch(/more than one client is logged in as this switch/);
      expect(applied.stderr).toContain(`${lab.fabric.xmpp.domain}/rogue`);
      expect(impostor.received).toEqual([]);
      expect(snapshot()).toEqual(before);
      const record = await lastFinished("apply");
      expect(record?.outcome).toBe("refused");
      expect(record?.message).toMatch(/leaf1/);
    } finally {
      await impostor.close();
    }
  });

  it("fails apply with exit 5 when a switch cannot be planned, and applies the rest with --allow-unreachable", async () => {
    // leaf3 answers `show running-config` with something that is no config (spaces and tabs mixed)
    const leaf3 = lab.lab.fleet.get("leaf3");
    await leaf3.setFaults(["garble-reply"]);
    const before = snapshot();
    const refused = await cli("apply", lab.repo, "--yes");
    expect(refused.code).toBe(5);
    expect(refused.stderr).toMatch(/unplannable: leaf3: line 4: indentation mixes tabs and spaces/);
    expect(refused.stdout).not.toMatch(/nothing to do/i);
    expect(snapshot()).toEqual(before);
    expect((await lastFinished("apply"))?.outcome).toBe("refused");

    const allowed = await cli("apply", lab.repo, "--yes", "--allow-unreachable");
    expect(allowed.code).toBe(5);
    expect(lab.lab.fleet.get("leaf1").runningConfig()).toContain("ntp server 10.250.0.11 iburst");
    expect(lab.lab.fleet.get("leaf3").runningConfig()).toBe(before.get("leaf3"));
    const record = await lastFinished("apply");
    expect(record?.outcome).toBe("succeeded");
    expect(record?.devices?.find((d) => d.device === "leaf3")?.outcome).toBe("untouched");
  });
});

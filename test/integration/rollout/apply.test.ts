import { simpleGit } from "simple-git";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { renderConfig } from "../../../reconciler/sim/index.ts";
import { compareInScope, parseConfig } from "../../../reconciler/src/eos/index.ts";
import { isProcessAlive, runHistory } from "../../../reconciler/src/journal/index.ts";
import { openFabricTransport } from "../../../reconciler/src/transport/index.ts";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";

let lab: FabricLab;

beforeAll(async () => {
  lab = await startFabricLab({ running: outdated });
});
afterAll(() => lab?.cleanup());
beforeEach(() => lab.reset(outdated));

function matchesIntended(device: string): boolean {
  const running = parseConfig(lab.lab.fleet.get(device).runningConfig());
  return compareInScope(running, parseConfig(lab.intended(device)), lab.fabric.scope).equal;
}

describe("plan and apply against simulated switches over Prosody", () => {
  it("plans the leaves' shared change once for the leaf room and spine1's own change for spine1", async () => {
    const outcome = await lab.runner().plan({ trigger: "cli" });
    if (!outcome.ok) throw new Error(outcome.message);
    const { plan } = outcome;
    expect(plan.revision.sha).toMatch(/^[0-9a-f]{40}$/);
    expect(plan.waves).toEqual([["spine1"], ["leaf1", "leaf2", "leaf3", "leaf4"]]);
    expect(plan.batches.map((b) => b.id)).toEqual(["device:spine1", "group:leaf"]);
    expect(plan.summary).toMatchObject({ changed: 5, inSync: 1, unreachable: 0, groupBatches: 1 });
  });

  it("applies canary first, verifies, confirms, and a second plan has nothing to do", async () => {
    const runner = lab.runner();
    const outcome = await runner.apply({ trigger: "cli" });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.result.outcome).toBe("succeeded");
    expect(Object.fromEntries(outcome.result.devices.map((d) => [d.device, d.outcome]))).toEqual({
      spine1: "changed",
      spine2: "in-sync",
      leaf1: "changed",
      leaf2: "changed",
      leaf3: "changed",
      leaf4: "changed",
    });
    for (const device of Object.keys(lab.fabric.devices)) expect(matchesIntended(device), device).toBe(true);
    // the reconciler's save step: a reload would boot the new config
    for (const sw of lab.lab.fleet.switches.values()) {
      expect(renderConfig(sw.store.startup, []), sw.name).toBe(renderConfig(sw.store.running, []));
    }
    // no session is left pending on any switch
    for (const sw of lab.lab.fleet.switches.values())
      expect([...sw.store.sessions.values()].filter((s) => s.state !== "pending")).toEqual([]);

    const again = await runner.plan({ trigger: "cli" });
    if (!again.ok) throw new Error(again.message);
    expect(again.plan.summary.changed).toBe(0);

    const runs = runHistory(await lab.journal.read(), isProcessAlive);
    expect(runs.slice(0, 2).map((r) => [r.kind, r.outcome])).toEqual([
      ["plan", "no-changes"],
      ["apply", "succeeded"],
    ]);
    expect(runs[1]!.devices).toContainEqual({ device: "leaf3", outcome: "changed" });
  });

  it("sends fewer XMPP messages than a per-switch push of the same changes", async () => {
    const outcome = await lab.runner().apply({ trigger: "cli" });
    if (!outcome.ok) throw new Error(outcome.message);
    // per switch: stage, commit+verify, confirm, save = 4 messages; the leaf room carries stage,
    // commit+verify, confirm and save once for its 4 members, which saves 4 × (4 − 1)
    expect(outcome.result.messages).toBe(5 * 4 - 4 * 3);
  });
});

describe("a plan-only run (a PR from a fork)", () => {
  it("connects with the tracked branch's XMPP settings, never the ones the PR brings", async () => {
    const git = simpleGit(lab.repo);
    await git.checkoutLocalBranch("fork-pr");
    const prHead = await lab.commit(
      "fabric.yaml",
      (y) =>
        y
          .replace("host: 127.0.0.1", "host: xmpp.attacker.example")
          .replace("caFile: pki/securitydemo-ca.pem", "caFile: pki/attacker-ca.pem"),
      "Point the reconciler somewhere else",
    );
    await git.checkout("main");

    const seen: { host: string; caFile?: string }[] = [];
    const runner = lab.runner({
      openChannel: (fabric, repoDir) => {
        seen.push({ host: fabric.xmpp.host, caFile: fabric.xmpp.caFile });
        return openFabricTransport(fabric, { env: lab.lab.env, repoDir });
      },
    });
    const outcome = await runner.plan({ trigger: "pull-request", rev: prHead, planOnly: true });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.plan.revision.sha).toBe(prHead);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.host).toBe("127.0.0.1");
    expect(seen[0]!.caFile).toMatch(/pki\/securitydemo-ca\.pem$/);

    const refused = await runner.apply({ trigger: "pull-request", rev: prHead, planOnly: true });
    expect(refused).toMatchObject({ ok: false, code: "invalid-input" });
  });
});

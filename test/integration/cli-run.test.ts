import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type FabricLab, outdated, startFabricLab } from "./support/fabric-lab.ts";

const run = promisify(execFile);
let lab: FabricLab;

beforeAll(async () => {
  lab = await startFabricLab({ running: outdated });
});
afterAll(() => lab?.cleanup());
beforeEach(() => lab.reset(outdated));

/** Runs the real CLI in its own process, as a user or a CI job would. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const stateful = ["plan", "apply", "drift", "history"].includes(args[0]!);
    const state = stateful ? ["--state-dir", lab.stateDir] : [];
    const { stdout, stderr } = await run("node", ["bin/reconciler.mjs", ...args, ...state], {
      env: { ...process.env, ...lab.lab.env, NO_COLOR: "1" },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe("reconciler plan / apply / drift / history (CLI)", () => {
  it("plan prints the per-group plan and exits 2 with --detailed-exitcode", async () => {
    const result = await cli("plan", lab.repo, "--detailed-exitcode");
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/Plan for fabric securitydemo at [0-9a-f]{10} \(main\)/);
    expect(result.stdout).toContain("▸ group leaf (leaf1, leaf2, leaf3, leaf4): 2 lines");
    expect(result.stdout).toContain("Wave 0 (canary): spine1");
  });

  it("plan --json and --markdown carry the same plan for machines and PR comments", async () => {
    const json = await cli("plan", lab.repo, "--json");
    expect(json.code).toBe(0);
    const plan = JSON.parse(json.stdout);
    expect(plan.summary).toMatchObject({ changed: 5, groupBatches: 1 });
    expect(plan.revision.sha).toMatch(/^[0-9a-f]{40}$/);
    const markdown = await cli("plan", lab.repo, "--markdown");
    expect(markdown.stdout).toMatch(/<details( open)?><summary>group <b>leaf<\/b> → 4 switches, 2 commands/);
    expect(markdown.stdout).toContain("ntp server 10.250.0.11 iburst");
  });

  it("apply refuses a file that is not a saved plan, naming it", async () => {
    const file = join(lab.stateDir, "not-a-plan.json");
    await writeFile(file, '{"hello": 1}');
    const result = await cli("apply", "--plan", file, lab.repo, "--yes");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`cannot use ${file}: not a plan saved by \`reconciler plan --out\``);
  });

  it("apply refuses to run unattended without --yes", async () => {
    const result = await cli("apply", lab.repo);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/pass --yes/);
  });

  it("plan --out then apply --plan applies exactly the saved plan, and a stale plan is refused", async () => {
    const file = join(lab.stateDir, "plan.json");
    expect((await cli("plan", lab.repo, "--out", file)).code).toBe(0);
    expect(JSON.parse(await readFile(file, "utf8")).kind).toBe("plan");

    lab.lab.fleet.get("leaf4").drift(["vlan 3999", "   name surprise"]);
    const stale = await cli("apply", "--plan", file, lab.repo, "--yes");
    expect(stale.code).toBe(1);
    expect(stale.stderr).toMatch(/1 switch \(leaf4\) changed since the plan was made/);

    await lab.reset(outdated);
    // the saved plan names its repo: no REPO argument needed
    const applied = await cli("apply", "--plan", file, "--yes");
    expect(applied.code).toBe(0);
    expect(applied.stdout).toMatch(/: succeeded/);
    expect(applied.stdout).toMatch(/leaf1\s+changed/);
    expect((await cli("plan", lab.repo, "--detailed-exitcode")).code).toBe(0);
  });

  it("drift exits 3 and names the switch; history lists the runs", async () => {
    await lab.reset();
    lab.lab.fleet.get("spine2").drift(["vlan 3999", "   name surprise"]);
    const drift = await cli("drift", lab.repo);
    expect(drift.code).toBe(3);
    expect(drift.stdout).toMatch(/spine2: drifted since/);
    expect(drift.stdout).toContain("no vlan 3999");

    const history = await cli("history", lab.repo, "--json");
    const runs = JSON.parse(history.stdout);
    expect(runs[0]).toMatchObject({ kind: "drift", outcome: "drift", trigger: "cli" });
  });

  it("exits 5 when a switch is unreachable, and plans the rest with --allow-unreachable", async () => {
    await lab.lab.fleet.get("leaf1").setFaults(["offline"]);
    const refused = await cli("plan", lab.repo);
    expect(refused.code).toBe(5);
    expect(refused.stdout).toMatch(/leaf1: offline/);
    const allowed = await cli("plan", lab.repo, "--allow-unreachable", "--detailed-exitcode");
    expect(allowed.code).toBe(2);
  });

  it("record saves every running config with secrets redacted, and plan --offline reads them back", async () => {
    await lab.reset();
    lab.lab.fleet.get("leaf2").drift(["router bgp 65102", "   neighbor 10.0.1.2 password 7 070C285F4D06"]);
    const dir = join(lab.stateDir, "recorded");
    const recorded = await cli("record", lab.repo, "--out", dir);
    expect(recorded.code).toBe(0);
    expect(recorded.stdout).toContain("leaf2.cfg");
    const leaf2 = await readFile(join(dir, "leaf2.cfg"), "utf8");
    expect(leaf2).toContain("neighbor 10.0.1.2 password 7 <redacted>");
    expect(leaf2).not.toContain("070C285F4D06");

    const offline = await cli("plan", lab.repo, "--offline", dir, "--json");
    const plan = JSON.parse(offline.stdout);
    expect(
      plan.devices
        .filter((d: { status: string }) => d.status === "changes")
        .map((d: { device: string }) => d.device),
    ).toEqual(["leaf2"]);
  });

  it("exits 5 with a clear message when the XMPP server cannot be reached", async () => {
    const result = await cli("plan", lab.repo, "--xmpp-port", "1");
    expect(result.code).toBe(5);
    expect(result.stderr).toMatch(/cannot reach the XMPP server/);
  });
});

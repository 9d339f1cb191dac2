/**
 * Change-freeze windows against real parts: the example fabric in git, a real Prosody, simulated
 * switches. The runner gets a fixed clock, so "inside" and "outside" a window never depend on today.
 */
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { fixedClock } from "../../../reconciler/src/freeze/index.ts";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";

const weekendFreeze = `  freeze:
    - name: weekend
      reason: nobody on call for the core over the weekend
      cron: "0 18 * * 5"
      duration: 62h
      timeZone: Europe/Berlin
`;
// Saturday 2026-11-28 11:00 in Berlin: inside the window that started Friday 18:00.
const saturday = fixedClock("2026-11-28T10:00:00Z");
// Wednesday: outside it.
const wednesday = fixedClock("2026-11-25T10:00:00Z");

let lab: FabricLab;
beforeAll(async () => {
  lab = await startFabricLab({
    running: outdated,
    editFabricYaml: (text) =>
      text
        .replace("  stopOnFailure: true\n", `  stopOnFailure: true\n${weekendFreeze}`)
        .replace("selfHeal: false", "selfHeal: true"),
  });
});
afterAll(() => lab?.cleanup());
beforeEach(() => lab.reset(outdated));

const leaf1 = () => lab.lab.fleet.get("leaf1").runningConfig();
const lastFinished = async () => (await lab.journal.read()).filter((r) => r.event === "finished").at(-1)!;

describe("apply and drift healing inside and outside a freeze window", () => {
  it("refuses an apply inside the window, naming it, until when and why, and changes nothing", async () => {
    const outcome = await lab.runner({ clock: saturday }).apply({ trigger: "cli" });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome).toMatchObject({
      code: "frozen",
      exitCode: 4,
      freeze: [
        {
          name: "weekend",
          reason: "nobody on call for the core over the weekend",
          timeZone: "Europe/Berlin",
          until: "2026-11-30T07:00:00.000Z",
        },
      ],
    });
    expect(outcome.message).toContain(
      'apply refused during a change freeze "weekend" until 2026-11-30 08:00 Europe/Berlin',
    );
    expect(leaf1()).toContain("ntp server 10.250.0.99 iburst");
    expect(await lastFinished()).toMatchObject({ kind: "apply", outcome: "refused" });
  });

  it("still plans and reports drift inside the window", async () => {
    const runner = lab.runner({ clock: saturday });
    const planned = await runner.plan({ trigger: "cli" });
    expect(planned.ok && planned.plan.summary.changed).toBe(5);
    const drift = await runner.drift({ trigger: "cli" });
    expect(drift.ok && drift.report.devices.filter((d) => d.status === "drifted").length).toBe(5);
  });

  it("reports drift but refuses to heal it inside the window, though selfHeal is on", async () => {
    const drift = await lab.runner({ clock: saturday }).drift({ trigger: "schedule", heal: true });
    expect(drift.ok).toBe(true);
    if (!drift.ok) return;
    expect(drift.report.healed).toBeUndefined();
    expect(drift.report.healRefused?.code).toBe("frozen");
    expect(drift.report.healRefused?.message).toContain(
      'drift healing refused during a change freeze "weekend"',
    );
    expect(leaf1()).toContain("ntp server 10.250.0.99 iburst");
    expect(await lastFinished()).toMatchObject({ kind: "drift", outcome: "heal-frozen" });
  });

  it("applies inside the window with an explicit override, and the journal records who and why", async () => {
    const outcome = await lab
      .runner({ clock: saturday })
      .apply({ trigger: "cli", overrideFreeze: { by: "alice", reason: "INC-4711 core outage" } });
    expect(outcome.ok && outcome.result.outcome).toBe("succeeded");
    expect(leaf1()).toContain("ntp server 10.250.0.11 iburst");
    expect(await lastFinished()).toMatchObject({
      kind: "apply",
      outcome: "succeeded",
      freezeOverride: { by: "alice", reason: "INC-4711 core outage", windows: ["weekend"] },
    });
  });

  it("applies outside the window, and heals drift there, with no override recorded", async () => {
    const runner = lab.runner({ clock: wednesday });
    const outcome = await runner.apply({ trigger: "cli" });
    expect(outcome.ok && outcome.result.outcome).toBe("succeeded");
    expect((await lastFinished()).freezeOverride).toBeUndefined();
    lab.lab.fleet.get("leaf2").drift(["vlan 3999", "   name out-of-band"]);
    const drift = await runner.drift({ trigger: "schedule", heal: true });
    expect(drift.ok && drift.report.healed?.outcome).toBe("succeeded");
    expect(lab.lab.fleet.get("leaf2").runningConfig()).not.toContain("vlan 3999");
  });
});

const cli = (...args: string[]) => lab.cli(args, { USER: "bob" });

describe("reconciler apply --override-freeze (CLI)", () => {
  it("exits 4 naming the window, and applies with an override attributed to the user", async () => {
    // The CLI reads the real clock: a range that covers any day this test runs on, in place of the
    // weekend window (which is in force on a Friday evening or a weekend, and would be overridden too).
    const path = join(lab.repo, "fabric.yaml");
    const original = await readFile(path, "utf8");
    expect(original).toContain(weekendFreeze);
    await writeFile(
      path,
      original.replace(
        weekendFreeze,
        '  freeze:\n    - name: migration\n      reason: core migration in progress\n      from: "2000-01-01"\n      until: "2999-01-01"\n',
      ),
    );
    try {
      const refused = await cli("apply", lab.repo, "--yes");
      expect(refused.code).toBe(4);
      expect(refused.stderr).toContain(
        'apply refused during a change freeze "migration" until 2999-01-01 00:00 UTC',
      );
      expect(refused.stderr).toContain("core migration in progress");
      expect(leaf1()).toContain("ntp server 10.250.0.99 iburst");

      const healed = await cli("drift", lab.repo, "--heal");
      expect(healed.code).toBe(4);
      expect(healed.stdout).toContain("leaf1: drifted");
      expect(healed.stderr).toContain('not healed: drift healing refused during a change freeze "migration"');

      const applied = await cli("apply", lab.repo, "--yes", "--override-freeze", "CHG-2 approved by the CAB");
      expect(applied.code).toBe(0);
      expect(leaf1()).toContain("ntp server 10.250.0.11 iburst");
      expect(await lastFinished()).toMatchObject({
        freezeOverride: { by: "bob (cli)", reason: "CHG-2 approved by the CAB", windows: ["migration"] },
      });
    } finally {
      await writeFile(path, original);
    }
  });
});

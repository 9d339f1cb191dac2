import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { compareInScope, parseConfig } from "../../../reconciler/src/eos/index.ts";
import { type FabricLab, startFabricLab } from "../support/fabric-lab.ts";

let lab: FabricLab;
beforeAll(async () => {
  lab = await startFabricLab();
});
afterAll(() => lab?.cleanup());
beforeEach(() => lab.reset());

const OUT_OF_BAND = [
  "interface Ethernet3",
  "   description quick fix, do not touch",
  "router bgp 65102",
  "   neighbor 10.0.1.2 password 7 070C285F4D06",
];

describe("drift detection", () => {
  it("finds nothing when every switch matches git", async () => {
    const outcome = await lab.runner().drift({ trigger: "schedule" });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.report.devices.map((d) => d.status)).toEqual(Array(6).fill("in-sync"));
  });

  it("reports what changed out of band, with the fix, secrets redacted, and since when", async () => {
    lab.lab.fleet.get("leaf2").drift(OUT_OF_BAND);
    const first = await lab.runner().drift({ trigger: "schedule" });
    if (!first.ok) throw new Error(first.message);
    const leaf2 = first.report.devices.find((d) => d.device === "leaf2")!;
    expect(leaf2.status).toBe("drifted");
    expect(leaf2.diff).toContain("-   description server access (SERVERS)");
    expect(leaf2.diff).toContain("+   description quick fix, do not touch");
    expect(leaf2.diff).toContain("+   neighbor 10.0.1.2 password 7 <redacted>");
    expect(JSON.stringify(first.report)).not.toContain("070C285F4D06");
    expect(leaf2.remediation).toEqual([
      "interface Ethernet3",
      "   description server access (SERVERS)",
      "   exit",
      "router bgp 65102",
      "   no neighbor 10.0.1.2 password",
      "   exit",
    ]);
    expect(first.report.devices.filter((d) => d.status === "drifted").map((d) => d.device)).toEqual([
      "leaf2",
    ]);

    const second = await lab.runner().drift({ trigger: "schedule" });
    if (!second.ok) throw new Error(second.message);
    expect(second.report.devices.find((d) => d.device === "leaf2")?.since).toBe(leaf2.since);
  });

  it("does not heal when the fabric does not allow it", async () => {
    lab.lab.fleet.get("leaf2").drift(OUT_OF_BAND);
    const before = lab.lab.fleet.get("leaf2").runningConfig();
    const outcome = await lab.runner().drift({ trigger: "schedule", heal: true });
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.report.healed).toBeUndefined();
    expect(lab.lab.fleet.get("leaf2").runningConfig()).toBe(before);
  });

  it("heals through the normal rollout when drift.selfHeal is true", async () => {
    await lab.commit(
      "fabric.yaml",
      (y) => y.replace("selfHeal: false", "selfHeal: true"),
      "Let the reconciler heal drift",
    );
    try {
      lab.lab.fleet.get("leaf2").drift(OUT_OF_BAND);
      const outcome = await lab.runner().drift({ trigger: "schedule", heal: true });
      if (!outcome.ok) throw new Error(outcome.message);
      expect(outcome.report.healed?.outcome).toBe("succeeded");
      expect(outcome.report.healed?.devices.find((d) => d.device === "leaf2")?.outcome).toBe("changed");
      const live = parseConfig(lab.lab.fleet.get("leaf2").runningConfig());
      expect(compareInScope(live, parseConfig(lab.intended("leaf2")), lab.fabric.scope).equal).toBe(true);
    } finally {
      await lab.commit(
        "fabric.yaml",
        (y) => y.replace("selfHeal: true", "selfHeal: false"),
        "Report drift only",
      );
    }
  });
});

import { describe, expect, it } from "vitest";
import { DEFAULT_DRIFT, parseFaultSpec } from "../../../reconciler/sim/index.ts";

describe("parseFaultSpec", () => {
  it("reads the spec string of the sim command", () => {
    const r = parseFaultSpec(
      "leaf2:offline,spine1:slow=2000,leaf3:reject=vlan 30,leaf4:drop-reply,leaf1:disconnect-in-session,leaf1:drift",
    );
    expect(r.ok && Object.fromEntries(r.faults)).toEqual({
      leaf2: [{ kind: "offline" }],
      spine1: [{ kind: "slow", ms: 2000 }],
      leaf3: [{ kind: "reject", pattern: "vlan 30" }],
      leaf4: [{ kind: "drop-reply" }],
      leaf1: [{ kind: "disconnect-in-session" }, { kind: "drift", lines: DEFAULT_DRIFT }],
    });
  });

  it.each([
    ["leaf2", /expected device:fault/],
    ["leaf2:explode", /unknown fault "explode"/],
    ["leaf2:slow=soon", /slow needs milliseconds/],
    ["leaf9:offline", /no simulated switch named leaf9/],
  ])("rejects %s", (spec, message) => {
    const r = parseFaultSpec(spec, new Set(["leaf1", "leaf2"]));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe("ignore fault", () => {
  it("parses ignore=PATTERN and refuses an empty pattern", async () => {
    const { parseFault } = await import("../../../reconciler/sim/faults.ts");
    expect(parseFault("ignore=ntp server")).toEqual({ kind: "ignore", pattern: "ntp server" });
    expect(parseFault("ignore=")).toMatch(/ignore needs a line pattern/);
  });
});

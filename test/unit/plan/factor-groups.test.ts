import { describe, expect, it } from "vitest";
import {
  factorByGroup,
  planWaves,
  roomsInRunningConfig,
  runningConfigHash,
  splitBlocks,
} from "../../../reconciler/src/plan/index.ts";

const vlan30 = ["vlan 30", "   name web", "   exit"];
const ntp = ["ntp server 10.0.0.2"];
const et1 = (text: string) => ["interface Ethernet1", `   description ${text}`, "   exit"];

describe("splitBlocks", () => {
  it("keeps a top-level command with its indented children and exit", () => {
    expect(splitBlocks([...vlan30, ...ntp, ...et1("a")])).toEqual([vlan30, ntp, et1("a")]);
  });
  it("keeps a top-level exit with the block it closes", () => {
    expect(splitBlocks(["router bgp 65001", "   router-id 1.1.1.1", "exit", "hostname x"])).toEqual([
      ["router bgp 65001", "   router-id 1.1.1.1", "exit"],
      ["hostname x"],
    ]);
  });
});

describe("factorByGroup", () => {
  const waveOf = new Map([
    ["leaf1", 1],
    ["leaf2", 1],
    ["spine1", 0],
  ]);

  it("sends nothing to a room whose members take CLI in different framings", () => {
    const input = {
      remediations: new Map([
        ["leaf1", [...vlan30]],
        ["leaf2", [...vlan30]],
      ]),
      roomOccupants: new Map([["leaf", new Set(["leaf1", "leaf2"])]]),
      waveOf,
    };
    const mixed = factorByGroup({
      ...input,
      framingOf: new Map([
        ["leaf1", "multiline" as const],
        ["leaf2", "per-sender" as const],
      ]),
    });
    expect(mixed.batches.map((b) => b.id)).toEqual(["device:leaf1", "device:leaf2"]);
    const same = factorByGroup({
      ...input,
      framingOf: new Map([
        ["leaf1", "per-sender" as const],
        ["leaf2", "per-sender" as const],
      ]),
    });
    expect(same.batches.map((b) => b.id)).toEqual(["group:leaf"]);
  });

  it("sends blocks every room member needs once to the room and the rest per switch", () => {
    const result = factorByGroup({
      remediations: new Map([
        ["leaf1", [...vlan30, ...ntp, ...et1("to spine1")]],
        ["leaf2", [...vlan30, ...ntp, ...et1("to spine2")]],
      ]),
      roomOccupants: new Map([["leaf", new Set(["leaf1", "leaf2"])]]),
      waveOf,
    });
    expect(result.batches).toEqual([
      {
        id: "group:leaf",
        target: { kind: "group", group: "leaf", members: ["leaf1", "leaf2"] },
        wave: 1,
        commands: [...vlan30, ...ntp],
      },
      {
        id: "device:leaf1",
        target: { kind: "device", device: "leaf1" },
        wave: 1,
        commands: et1("to spine1"),
      },
      {
        id: "device:leaf2",
        target: { kind: "device", device: "leaf2" },
        wave: 1,
        commands: et1("to spine2"),
      },
    ]);
    expect(result.executionOrder.get("leaf1")).toEqual([...vlan30, ...ntp, ...et1("to spine1")]);
  });

  it("never uses a room that holds a switch without that change (it would run it too)", () => {
    const result = factorByGroup({
      remediations: new Map([
        ["leaf1", [...ntp]],
        ["leaf2", [...ntp]],
      ]),
      roomOccupants: new Map([["leaf", new Set(["leaf1", "leaf2", "leaf3"])]]),
      waveOf,
    });
    expect(result.batches.map((b) => b.id)).toEqual(["device:leaf1", "device:leaf2"]);
  });

  it("never uses a room whose members roll out in different waves", () => {
    const result = factorByGroup({
      remediations: new Map([
        ["leaf1", [...ntp]],
        ["spine1", [...ntp]],
      ]),
      roomOccupants: new Map([["dc1", new Set(["leaf1", "spine1"])]]),
      waveOf,
    });
    expect(result.batches.every((b) => b.target.kind === "device")).toBe(true);
  });

  it("sends nothing to a room when members share no block", () => {
    const result = factorByGroup({
      remediations: new Map([
        ["leaf1", et1("x")],
        ["leaf2", et1("y")],
      ]),
      roomOccupants: new Map([["leaf", new Set(["leaf1", "leaf2"])]]),
      waveOf,
    });
    expect(result.batches.map((b) => b.id)).toEqual(["device:leaf1", "device:leaf2"]);
  });
});

describe("planWaves", () => {
  const members = { spine: ["spine1", "spine2"], leaf: ["leaf1", "leaf2", "leaf3"] };
  it("rolls out the first ordered group alone, then each group, then the rest", () => {
    expect(
      planWaves(["leaf2", "spine2", "leaf1", "border1"], members, {
        order: ["spine", "leaf"],
        canarySwitches: 0,
      }),
    ).toEqual([["spine2"], ["leaf1", "leaf2"], ["border1"]]);
  });
  it("takes the first N switches as the canary when canarySwitches is set", () => {
    expect(
      planWaves(["leaf1", "leaf2", "spine1", "spine2"], members, {
        order: ["spine", "leaf"],
        canarySwitches: 1,
      }),
    ).toEqual([["spine1"], ["spine2"], ["leaf1", "leaf2"]]);
  });
  it("skips groups with no changed switch", () => {
    expect(planWaves(["leaf3"], members, { order: ["spine", "leaf"], canarySwitches: 0 })).toEqual([
      ["leaf3"],
    ]);
  });
});

describe("roomsInRunningConfig", () => {
  it("reads switch-group rooms of the fabric's MUC service from management xmpp only", () => {
    const running = [
      "hostname leaf1",
      "management xmpp",
      "   switch-group leaf@groups.lab",
      "   switch-group other@conference.elsewhere",
      "   switch-group dc1@groups.lab",
      "interface Ethernet1",
      "   description switch-group fake@groups.lab",
    ].join("\n");
    expect(roomsInRunningConfig(running, "groups.lab")).toEqual(["leaf", "dc1"]);
  });
});

describe("runningConfigHash", () => {
  it("ignores the header comments EOS prints on every show", () => {
    const a = "! Command: show running-config\n! device: leaf1 (vEOS, EOS-4.30)\nhostname leaf1\n";
    const b = "! Command: show running-config\n! device: leaf1 (vEOS, EOS-4.31)\nhostname leaf1   \n";
    expect(runningConfigHash(a)).toBe(runningConfigHash(b));
    expect(runningConfigHash(a)).not.toBe(runningConfigHash("hostname leaf2\n"));
  });
});

describe("planWaves with waves: canary-then-rest", () => {
  it("puts everything after the canary in one wave", () => {
    const members = { spine: ["spine1", "spine2"], leaf: ["leaf1", "leaf2"] };
    expect(
      planWaves(["leaf1", "leaf2", "spine1", "spine2", "border1"], members, {
        order: ["spine", "leaf"],
        canarySwitches: 0,
        waves: "canary-then-rest",
      }),
    ).toEqual([
      ["spine1", "spine2"],
      ["leaf1", "leaf2", "border1"],
    ]);
  });
});

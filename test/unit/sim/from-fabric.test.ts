import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../reconciler/sim/cli/config-tree.ts";
import { demoRunningConfig, generatedSwitches } from "../../../reconciler/sim/from-fabric.ts";
import { readXmppIdentity } from "../../../reconciler/sim/index.ts";

const INTENDED = [
  "hostname leaf1",
  "!",
  "ntp server 10.0.0.1",
  "!",
  "interface Ethernet1",
  "   description uplink",
  "!",
  "management xmpp",
  "   username leaf1@lab.test",
  "!",
  "end",
].join("\n");

describe("demoRunningConfig", () => {
  it.each([
    [0, "   description changed by hand"],
    [1, "hostname leaf1\n!\n!\ninterface Ethernet1"],
    [2, "vlan 999\n   name not-in-git\n!\nend"],
  ])("makes one deliberate difference for switch #%i", (index, expected) => {
    const running = demoRunningConfig(INTENDED, index);
    expect(running).not.toBe(INTENDED);
    expect(running).toContain(expected);
    expect(running).toContain("management xmpp\n   username leaf1@lab.test");
  });
});

describe("generatedSwitches", () => {
  it("makes N switches whose own config puts them in rooms all and rackK", () => {
    const specs = generatedSwitches(12, { domain: "lab.test", mucService: "groups.lab.test", rackSize: 10 });
    expect(specs.map((s) => s.name).slice(9, 12)).toEqual(["sw10", "sw11", "sw12"]);
    const id = readXmppIdentity(parseConfig(specs[10]!.runningConfig), "groups.lab.test");
    expect(id).toMatchObject({
      user: "sw11",
      domain: "lab.test",
      privilege: 15,
      rooms: ["all@groups.lab.test", "rack2@groups.lab.test"],
    });
  });
});

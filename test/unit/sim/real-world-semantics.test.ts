import { describe, expect, it } from "vitest";
import { configDifference } from "../../../reconciler/sim/cli/compare.ts";
import { CliSession } from "../../../reconciler/sim/cli/interpreter.ts";
import { ConfigStore } from "../../../reconciler/sim/cli/store.ts";
import { parseConfig } from "../../../reconciler/sim/index.ts";

const RUNNING = `hostname leaf1
!
no spanning-tree vlan-id 4094
!
interface Ethernet1
   description uplink
!
interface Vlan10
   no autostate
!
router bgp 65100
   router-id 10.0.0.1
!
end
`;

function session(running = RUNNING) {
  const store = new ConfigStore(running);
  const cli = new CliSession({
    store,
    privilege: () => 15,
    hostname: () => "leaf1",
    showVersion: () => "",
    showXmpp: () => "",
  });
  cli.run("configure");
  return { cli, store };
}

describe("simulated EOS on commands of real-world configs", () => {
  it("stores a shown negation no table names, and its positive form takes it back", () => {
    const { cli, store } = session();
    expect(cli.run("interface Ethernet1")).toBe("");
    expect(cli.run("no lldp transmit")).toBe("");
    expect(cli.run("exit")).toBe("");
    expect(cli.run("interface Vlan10")).toBe("");
    expect(cli.run("autostate")).toBe("");
    const shown = cli.run("show running-config");
    expect(shown).toContain("interface Ethernet1\n   description uplink\n   no lldp transmit\n");
    expect(shown).toContain("interface Vlan10\n!");
    expect(store.running.find((n) => n.text === "interface Vlan10")?.children).toEqual([]);
  });

  it("keeps the VLANs spanning tree is off for in one `no spanning-tree vlan-id` line", () => {
    const { cli } = session();
    expect(cli.run("no spanning-tree vlan-id 4093")).toBe("");
    expect(cli.run("show running-config")).toContain("no spanning-tree vlan-id 4093-4094\n");
    expect(cli.run("spanning-tree vlan-id 4094")).toBe("");
    expect(cli.run("show running-config")).toContain("no spanning-tree vlan-id 4093\n");
  });

  it("refuses a second BGP instance", () => {
    const { cli } = session();
    expect(cli.run("router bgp 65200")).toBe("% BGP is already running with AS number 65100");
    expect(cli.run("no router bgp 65100")).toBe("");
    expect(cli.run("router bgp 65200")).toBe("");
  });

  it("resets a physical port with default interface and refuses to delete it", () => {
    const { cli, store } = session();
    expect(cli.run("no interface Ethernet1")).toBe("% Removal of physical interfaces is not permitted");
    expect(cli.run("default interface Ethernet1")).toBe("");
    expect(configDifference(store.running, parseConfig(RUNNING))).toBe("missing: interface Ethernet1");
  });

  it("learns an unknown sub-mode from the indentation of the next line", () => {
    const { cli } = session();
    expect(cli.run("ip security", "   ike policy IKE-1")).toBe("");
    expect(cli.run("   ike policy IKE-1", "      local-id 1.1.1.1")).toBe("");
    expect(cli.run("      local-id 1.1.1.1")).toBe("");
    expect(cli.run("show running-config")).toContain(
      "ip security\n   ike policy IKE-1\n      local-id 1.1.1.1\n   !\n",
    );
  });

  it("takes a comment's lines up to EOF in any mode", () => {
    const { cli } = session();
    for (const line of ["interface Ethernet1", "comment", "   set by hand", "EOF", "exit"])
      expect(cli.run(line)).toBe("");
    expect(cli.run("show running-config")).toContain("   comment\n   set by hand\n   EOF\n");
  });

  it("compares configs as EOS shows them: any order, bare ports and hidden defaults are no lines", () => {
    const a = parseConfig(
      "interface Ethernet2\n!\ninterface Ethernet1\n   no shutdown\n   mtu 9214\nhostname x\n",
    );
    const b = parseConfig("hostname x\n!\ninterface Ethernet1\n   mtu 9214\n");
    expect(configDifference(a, b)).toBeUndefined();
    expect(configDifference(b, parseConfig("hostname y\n"))).toBe("missing: hostname y");
  });
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: fabric config uses ${name} variables, not JS templates.
import { describe, expect, it } from "vitest";
import { FabricRenderError, renderIntended } from "../../../reconciler/src/fabric/index.ts";
import { minimalFiles } from "../../fixtures/fabric/minimal.ts";
import { validFabric } from "./expect-validation.ts";

const fabricYaml = minimalFiles["fabric.yaml"]!;

/** Renders leaf1 (groups leaf, then row1, then its own config); returns the lines between header and xmpp. */
function leaf1Body(changes: { leaf?: string; row1?: string; device?: string; fabric?: string }): string[] {
  const config = (text: string | undefined, key = "config") => (text ? `${key}: |\n${indent(text)}` : "");
  const { fabric } = validFabric({
    "groups/leaf.yaml": `vars: {asn: 65100}\n${config(changes.leaf)}`,
    "groups/row1.yaml": config(changes.row1) || "description: row 1\n",
    "devices/leaf1.yaml": `groups: [leaf, row1]\nvars: {loopback0: 1.1.1.1}\n${config(changes.device)}`,
    "fabric.yaml": fabricYaml.replace(
      "baseline: |\n  ntp server ${ntp}\n",
      config(changes.fabric, "baseline"),
    ),
  });
  const lines = renderIntended(fabric, "leaf1").text.split("\n");
  return lines
    .slice(1, lines.indexOf("management xmpp") - 1)
    .filter((line) => line !== "!" && !line.startsWith("hostname"));
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((line) => (line ? `  ${line}` : line))
    .join("\n");
}

describe("renderIntended: layering", () => {
  it.each([
    {
      name: "a single-valued line of a later layer replaces the earlier one in place",
      fabric: "spanning-tree mode mstp\nntp server 10.0.0.1\n",
      device: "spanning-tree mode rapid-pvst\n",
      expected: ["ntp server 10.0.0.1", "spanning-tree mode rapid-pvst"],
    },
    {
      name: "a section with the same header merges its children, the later description winning",
      leaf: "interface Ethernet1\n   description to spine1\n   mtu 9214\n   no switchport\n",
      device: "interface Ethernet1\n   description to spine1 (new optics)\n   ip address 10.0.0.1/31\n",
      expected: [
        "interface Ethernet1",
        "   description to spine1 (new optics)",
        "   mtu 9214",
        "   no switchport",
        "   ip address 10.0.0.1/31",
      ],
    },
    {
      name: "`no shutdown` replaces `shutdown`",
      leaf: "interface Ethernet6\n   shutdown\n",
      device: "interface Ethernet6\n   no shutdown\n",
      expected: ["interface Ethernet6", "   no shutdown"],
    },
    {
      name: "multi-valued lines accumulate and repeats are dropped",
      fabric: "ntp server 10.0.0.1\n",
      row1: "ntp server 10.0.0.2\nntp server 10.0.0.1\n",
      expected: ["ntp server 10.0.0.1", "ntp server 10.0.0.2"],
    },
    {
      name: "prefix-list entries replace by list and sequence",
      leaf: "ip prefix-list PL seq 10 permit 10.0.0.0/8\nip prefix-list PL seq 20 permit 10.1.0.0/16\n",
      device: "ip prefix-list PL seq 10 deny 10.0.0.0/8\n",
      expected: ["ip prefix-list PL seq 10 deny 10.0.0.0/8", "ip prefix-list PL seq 20 permit 10.1.0.0/16"],
    },
    {
      name: "a route-map entry with the same sequence replaces the whole entry",
      leaf: "route-map RM permit 10\n   match ip address prefix-list A\n   set local-preference 200\n",
      device: "route-map RM deny 10\n   match ip address prefix-list B\n",
      expected: ["route-map RM deny 10", "   match ip address prefix-list B"],
    },
    {
      name: "BGP neighbors are keyed by address, so two neighbors stay two",
      leaf: "router bgp 65100\n   neighbor 10.0.0.0 remote-as 65000\n   neighbor 10.0.0.2 remote-as 65000\n",
      device: "router bgp 65100\n   neighbor 10.0.0.2 remote-as 65001\n",
      expected: [
        "router bgp 65100",
        "   neighbor 10.0.0.0 remote-as 65000",
        "   neighbor 10.0.0.2 remote-as 65001",
      ],
    },
    {
      name: "a later group's line replaces an earlier group's",
      leaf: "logging host 10.0.0.1\nlogging trap informational\n",
      row1: "logging trap warnings\n",
      expected: ["logging host 10.0.0.1", "logging trap warnings"],
    },
    {
      name: "indentation is normalised to 3 spaces per level",
      leaf: "router bgp 65100\n  vrf BLUE\n    router-id 1.1.1.1\n",
      expected: ["router bgp 65100", "   vrf BLUE", "      router-id 1.1.1.1", "   !"],
    },
    {
      name: "interfaces are sorted as EOS sorts them",
      leaf: "interface Vlan10\ninterface Ethernet10\ninterface Ethernet2\ninterface Loopback0\n",
      expected: ["interface Ethernet2", "interface Ethernet10", "interface Loopback0", "interface Vlan10"],
    },
  ])("$name", ({ expected, ...changes }) => {
    expect(leaf1Body({ fabric: "", ...changes })).toEqual(expected);
  });

  it("writes a banner unindented and closes it with EOF; a later banner replaces it", () => {
    const body = leaf1Body({
      fabric: "banner login\nold text\nEOF\n",
      device: "banner login\nAuthorised access only.\n  Indented line kept.\nEOF\n",
    });
    expect(body).toEqual(["banner login", "Authorised access only.", "  Indented line kept.", "EOF"]);
  });
});

describe("renderIntended: variables", () => {
  it("takes device vars over group vars, a later group over an earlier one, groups over fabric", () => {
    const { fabric } = validFabric({
      "fabric.yaml": fabricYaml.replace(
        "  ntp: 10.0.0.10\n",
        "  ntp: 10.0.0.10\n  a: fabric\n  b: fabric\n  c: fabric\n  d: fabric\n",
      ),
      "groups/leaf.yaml":
        "vars: {b: leaf, c: leaf, d: leaf}\nconfig: |\n  interface Ethernet1\n     description ${a} ${b} ${c} ${d} ${hostname}\n",
      "groups/row1.yaml": "vars: {c: row1, d: row1}\n",
      "devices/leaf1.yaml": "groups: [leaf, row1]\nvars: {d: device}\n",
    });
    expect(renderIntended(fabric, "leaf1").text).toContain("   description fabric leaf row1 device leaf1\n");
  });

  it("writes $${ as a literal ${", () => {
    const body = leaf1Body({ device: "interface Ethernet1\n   description costs $${price}\n" });
    expect(body).toContain("   description costs ${price}");
  });
});

describe("renderIntended: management xmpp", () => {
  it("renders the switch's own block with one switch-group per group, in membership order", () => {
    const { fabric } = validFabric();
    const text = renderIntended(fabric, "leaf1").text;
    expect(text.slice(text.indexOf("management xmpp"))).toBe(
      [
        "management xmpp",
        "   no shutdown",
        "   server 127.0.0.1",
        "   username leaf1@securitydemo.lab",
        "   domain securitydemo.lab",
        "   session privilege 15",
        "   switch-group leaf@groups.securitydemo.lab",
        "   switch-group row1@groups.securitydemo.lab",
        "!",
        "end",
        "",
      ].join("\n"),
    );
  });

  it("names the port only when it is not 5222, and uses switchServer", () => {
    const { fabric } = validFabric({
      "fabric.yaml": fabricYaml.replace(
        "  host: 127.0.0.1\n",
        "  host: 127.0.0.1\n  port: 15222\n  switchServer: xmpp.mgmt.lab\n",
      ),
    });
    expect(renderIntended(fabric, "spine2").text).toContain("   server xmpp.mgmt.lab port 15222\n");
  });

  it("starts with a comment header and the hostname, and ends with end", () => {
    const { fabric } = validFabric({
      "devices/leaf2.yaml": "hostname: leaf2-dc1\ngroups: [leaf]\nvars: {asn: 1, loopback0: 1.1.1.1}\n",
    });
    const lines = renderIntended(fabric, "leaf2").text.split("\n");
    expect(lines[0]).toBe("! device: leaf2-dc1 (intended config, fabric lab)");
    expect(lines).toContain("hostname leaf2-dc1");
    expect(lines.at(-2)).toBe("end");
  });
});

describe("renderIntended: misuse", () => {
  it("throws for an unknown device, naming the known ones", () => {
    const { fabric } = validFabric();
    expect(() => renderIntended(fabric, "leaf9")).toThrow(/no device "leaf9" .*leaf1, leaf2, spine1, spine2/);
  });

  it("throws a FabricRenderError for a fabric that was changed after validation", () => {
    const { fabric } = validFabric();
    delete fabric.devices.leaf1!.vars.asn;
    expect(() => renderIntended(fabric, "leaf1")).toThrow(FabricRenderError);
  });
});

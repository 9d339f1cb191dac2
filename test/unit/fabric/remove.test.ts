// biome-ignore-all lint/suspicious/noTemplateCurlyInString: fabric config uses ${name} variables, not JS templates.
import { describe, expect, it } from "vitest";
import type { ConfigNode } from "../../../reconciler/src/fabric/config-tree.ts";
import { renderIntended } from "../../../reconciler/src/fabric/index.ts";
import { removeBlocks } from "../../../reconciler/src/fabric/merge.ts";
import { minimalFiles } from "../../fixtures/fabric/minimal.ts";
import { errorsOf, validFabric, describe as where } from "./expect-validation.ts";

// The minimal fabric: baseline `ntp server ${ntp}` (10.0.0.10); group leaf gives `vlan 10` and
// `router bgp ${asn}`; leaf1 is in [leaf, row1], leaf2 in [leaf]; spine1 is in [spine, row1].
const leaf1 = (extra: string) =>
  `groups: [leaf, row1]\nvars:\n  asn: 65101\n  loopback0: 10.255.1.1\n${extra}`;
const leaf2 = (extra: string) => `groups: [leaf]\nvars:\n  asn: 65102\n  loopback0: 10.255.1.2\n${extra}`;
const leafGroup = (extra: string) => `${minimalFiles["groups/leaf.yaml"]}${extra}`;

/** The rendered config of `device` as its lines, without the header, `!` lines and what render adds. */
function body(files: Record<string, string>, device: string): string[] {
  const { fabric } = validFabric(files);
  const lines = renderIntended(fabric, device).text.split("\n");
  return lines
    .slice(1, lines.indexOf("management xmpp"))
    .filter((line) => line !== "!" && !line.startsWith("hostname"));
}

const node = (text: string, children: string[] = []): ConfigNode => ({
  text,
  rawText: text,
  children: children.map((child) => node(child)),
  position: { file: "t", line: 1, col: 1 },
});

describe("removeBlocks: what an entry matches", () => {
  it.each([
    { entry: "ntp server 10.0.0.9", has: "ntp server 10.0.0.9", takes: true },
    { entry: "ntp server 10.0.0.9", has: "ntp server 10.0.0.9 iburst", takes: false },
    { entry: "interface Ethernet9", has: "interface Ethernet9", takes: true },
    { entry: "interface Ethernet9", has: "interface Ethernet90", takes: false },
    // A single-valued command matches by command, whatever its value (one BGP instance per switch).
    { entry: "router bgp", has: "router bgp 65101", takes: true },
    { entry: "router bgp 65001", has: "router bgp 65101", takes: true },
    { entry: "logging buffered", has: "logging buffered 10000 informational", takes: true },
    { entry: "ip prefix-list PL seq 10", has: "ip prefix-list PL seq 10 permit 10.0.0.0/8", takes: true },
    { entry: "ip prefix-list PL seq 10", has: "ip prefix-list PL seq 20 permit 10.0.0.0/8", takes: false },
    // `no X` has the key of `X`, as in a merge.
    { entry: "ip routing", has: "no ip routing", takes: true },
  ])("$entry against $has: $takes", ({ entry, has, takes }) => {
    const config = [node("vlan 10", ["name SERVERS"]), node(has, ["description x"])];
    const [removed] = removeBlocks(config, [node(entry)]);
    expect(removed?.block?.text).toBe(takes ? has : undefined);
    expect(config.map((n) => n.text)).toEqual(takes ? ["vlan 10"] : ["vlan 10", has]);
  });
});

describe("remove: in the model", () => {
  it("reads each entry with the place of its text, quoted or not", () => {
    const { fabric } = validFabric({
      "devices/leaf2.yaml": leaf2('remove:\n  - ntp server 10.0.0.10\n  - "vlan 10"\n'),
    });
    expect(fabric.devices.leaf2!.remove).toEqual([
      {
        line: { text: "ntp server 10.0.0.10", position: { file: "devices/leaf2.yaml", line: 6, col: 5 } },
        lines: [],
      },
      { line: { text: "vlan 10", position: { file: "devices/leaf2.yaml", line: 7, col: 6 } }, lines: [] },
    ]);
    expect(fabric.devices.leaf1!.remove).toEqual([]);
    expect(fabric.groups.leaf!.remove).toEqual([]);
  });

  it("accepts an empty remove:", () => {
    validFabric({ "groups/row1.yaml": "description: row 1\nremove:\n" });
  });
});

describe("remove: in the rendered config", () => {
  it("takes a baseline line and a group's section, with its lines, away from one device only", () => {
    const files = { "devices/leaf2.yaml": leaf2("remove:\n  - ntp server 10.0.0.10\n  - vlan 10\n") };
    expect(body(files, "leaf2")).toEqual(["router bgp 65102", "   router-id 10.255.1.2"]);
    expect(body(files, "leaf1")).toEqual([
      "ntp server 10.0.0.10",
      "vlan 10",
      "   name SERVERS",
      "router bgp 65101",
      "   router-id 10.255.1.1",
    ]);
  });

  it("matches a single-valued command by the command, and an entry after variables", () => {
    const files = { "devices/leaf2.yaml": leaf2("remove:\n  - router bgp\n  - ntp server ${ntp}\n") };
    expect(body(files, "leaf2")).toEqual(["vlan 10", "   name SERVERS"]);
  });

  it("lets a group take away what the baseline gives its members, and a device give it back", () => {
    const files = {
      "groups/leaf.yaml": leafGroup("remove:\n  - ntp server 10.0.0.10\n"),
      "devices/leaf1.yaml": leaf1("config: |\n  ntp server 10.0.0.10\n"),
    };
    expect(body(files, "leaf2")).not.toContain("ntp server 10.0.0.10");
    expect(body(files, "leaf1")).toContain("ntp server 10.0.0.10");
    expect(body(files, "spine1")).toContain("ntp server 10.0.0.10");
  });

  it("lets a later group take away what an earlier group of every member gives", () => {
    const files = {
      "groups/row1.yaml": "remove:\n  - vlan 10\n",
      "devices/spine1.yaml": "groups: [spine]\nvars:\n  loopback0: 10.255.0.1\n",
    };
    expect(body(files, "leaf1")).not.toContain("vlan 10");
    expect(body(files, "leaf2")).toContain("vlan 10");
  });
});

describe("remove: validation", () => {
  it("refuses an entry that nothing earlier gives, at the entry, naming what earlier layers have", () => {
    const errors = errorsOf({ "devices/leaf2.yaml": leaf2("remove:\n  - ntp server 10.0.0.9\n") });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:6:5 remove-nothing"]);
    expect(errors[0]!.message).toBe(
      'nothing before devices/leaf2.yaml gives "ntp server 10.0.0.9", so this remove: entry takes nothing away',
    );
    expect(errors[0]!.hint).toContain('Earlier layers have: "ntp server 10.0.0.10"; write the entry as one');
    expect(errors[0]!.hint).toContain("or delete it.");
  });

  it("says when no earlier layer has a line of that command at all", () => {
    const errors = errorsOf({ "devices/leaf2.yaml": leaf2("remove:\n  - 'interface Ethernet9'\n") });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:6:6 remove-nothing"]);
    expect(errors[0]!.hint).toMatch(/^No earlier layer has a `interface …` line; delete this entry\./);
  });

  it("refuses a group entry that takes nothing from some member, naming those members", () => {
    // row1's members are spine1 (after spine, which has no vlan 10) and leaf1 (after leaf, which has).
    const errors = errorsOf({ "groups/row1.yaml": "description: row 1\nremove:\n  - vlan 10\n" });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:3:5 remove-nothing"]);
    expect(errors[0]!.message).toBe(
      'nothing before groups/row1.yaml gives "vlan 10" to spine1, so this remove: entry takes nothing away',
    );
  });

  it("refuses removing and configuring one command in the same file, at the entry", () => {
    const errors = errorsOf({
      "devices/leaf2.yaml": leaf2("remove:\n  - vlan 10\nconfig: |\n  vlan 10\n     name OTHER\n"),
    });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:6:5 remove-and-configure"]);
    expect(errors[0]!.message).toBe('"vlan 10" is removed, and line 8 of this file\'s config sets it again');
    expect(errors[0]!.hint).toMatch(/^Keep one: delete this entry/);
  });

  it("reports an unknown variable in an entry at the reference", () => {
    const errors = errorsOf({ "devices/leaf2.yaml": leaf2("remove:\n  - ntp server ${ntp_other}\n") });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:6:16 unknown-variable"]);
  });

  it("refuses an inline secret in an entry (it would be in git all the same)", () => {
    const errors = errorsOf({
      "devices/leaf2.yaml": leaf2("remove:\n  - username admin secret 0 hunter2\n"),
    });
    expect(errors.map(where)).toContain("devices/leaf2.yaml:6:5 inline-secret");
    for (const error of errors) expect(`${error.message} ${error.hint}`).not.toContain("hunter2");
  });

  it.each([
    { name: "an indented entry", remove: "remove:\n  - '   description x'\n", at: "6:5" },
    { name: "a block of text", remove: "remove: |\n  vlan 10\n", at: "5:9" },
    { name: "the same entry twice", remove: "remove:\n  - vlan 10\n  - vlan 10\n", at: "7:5" },
  ])("refuses $name through the schema, at its place", ({ remove, at }) => {
    const errors = errorsOf({ "devices/leaf2.yaml": leaf2(remove) });
    expect(errors.map(where)).toEqual([`devices/leaf2.yaml:${at} schema`]);
  });
});

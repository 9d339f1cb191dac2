// biome-ignore-all lint/suspicious/noTemplateCurlyInString: fabric config uses ${name} variables, not JS templates.
import { describe, expect, it } from "vitest";
import type { ConfigNode } from "../../../reconciler/src/fabric/config-tree.ts";
import { renderIntended } from "../../../reconciler/src/fabric/index.ts";
import { removeBlocks } from "../../../reconciler/src/fabric/merge.ts";
import { minimalFiles } from "../../fixtures/fabric/minimal.ts";
import { errorsOf, validFabric, describe as where } from "./expect-validation.ts";

// `remove:` entries that name lines of a section: the minimal fabric, whose leaf group (leaf1 in
// [leaf, row1], leaf2 in [leaf]) also gives an uplink interface and a BGP address family.
const leafGroup = `${minimalFiles["groups/leaf.yaml"]}     address-family ipv4
        network 10.0.0.0/8
        network 10.1.0.0/16
  interface Ethernet1
     description uplink
     mtu 9214
     spanning-tree portfast
`;
const leaf2 = (extra: string) => `groups: [leaf]\nvars:\n  asn: 65102\n  loopback0: 10.255.1.2\n${extra}`;
const withLeaf2 = (extra: string) => ({ "groups/leaf.yaml": leafGroup, "devices/leaf2.yaml": leaf2(extra) });

/** The rendered lines of `device` from its first line starting with `from` up to the next `!`. */
function section(files: Record<string, string>, device: string, from: string): string[] {
  const { fabric } = validFabric(files);
  const lines = renderIntended(fabric, device).text.split("\n");
  const start = lines.findIndex((line) => line.startsWith(from));
  return lines.slice(start, lines.indexOf("!", start)).filter((line) => line.trim() !== "!");
}

const node = (text: string, children: ConfigNode[] = []): ConfigNode => ({
  text,
  rawText: text,
  children,
  position: { file: "t", line: 1, col: 1 },
});

describe("removeBlocks: an entry with lines", () => {
  const uplink = () => [
    node("interface Ethernet1", [node("description uplink"), node("mtu 9214"), node("no shutdown")]),
  ];

  it.each([
    { line: "mtu 9214", takes: "mtu 9214" },
    // A single-valued child matches by its command, as a later `mtu 1500` would replace it.
    { line: "mtu", takes: "mtu 9214" },
    { line: "description other", takes: "description uplink" },
    // `no X` has the key of `X` at every level.
    { line: "shutdown", takes: "no shutdown" },
    { line: "mtu 9214 extra", takes: "mtu 9214" },
    { line: "speed forced 10000full", takes: undefined },
  ])("$line takes $takes, the section stays", ({ line, takes }) => {
    const config = uplink();
    const [taken] = removeBlocks(config, [node("interface Ethernet1", [node(line)])]);
    expect(taken!.block).toBe(config[0]);
    expect(taken!.lines[0]!.block?.text).toBe(takes);
    expect(config[0]!.children.map((c) => c.text)).toEqual(
      ["description uplink", "mtu 9214", "no shutdown"].filter((text) => text !== takes),
    );
  });

  it("takes nothing when no block has the command", () => {
    const config = uplink();
    const [taken] = removeBlocks(config, [node("interface Ethernet2", [node("mtu 9214")])]);
    expect(taken).toEqual({ block: undefined, lines: [] });
    expect(config[0]!.children).toHaveLength(3);
  });
});

describe("remove: entries with lines in the model", () => {
  it("reads a mapping's command and each of its lines with the place of its text", () => {
    const files = withLeaf2(
      'remove:\n  - ntp server 10.0.0.10\n  - "interface Ethernet1": [spanning-tree portfast, "mtu 9214"]\n  - router bgp:\n      - address-family ipv4:\n          - network 10.1.0.0/16\n',
    );
    const at = (line: number, col: number) => ({ file: "devices/leaf2.yaml", line, col });
    expect(validFabric(files).fabric.devices.leaf2!.remove).toEqual([
      { line: { text: "ntp server 10.0.0.10", position: at(6, 5) }, lines: [] },
      {
        line: { text: "interface Ethernet1", position: at(7, 6) },
        lines: [
          { line: { text: "spanning-tree portfast", position: at(7, 29) }, lines: [] },
          { line: { text: "mtu 9214", position: at(7, 54) }, lines: [] },
        ],
      },
      {
        line: { text: "router bgp", position: at(8, 5) },
        lines: [
          {
            line: { text: "address-family ipv4", position: at(9, 9) },
            lines: [{ line: { text: "network 10.1.0.0/16", position: at(10, 13) }, lines: [] }],
          },
        ],
      },
    ]);
  });

  it("takes only the named lines out of a group's section, for that device only", () => {
    const files = withLeaf2('remove:\n  - "interface Ethernet1": ["spanning-tree portfast"]\n');
    expect(section(files, "leaf2", "interface Ethernet1")).toEqual([
      "interface Ethernet1",
      "   description uplink",
      "   mtu 9214",
    ]);
    expect(section(files, "leaf1", "interface Ethernet1")).toContain("   spanning-tree portfast");
  });

  it("takes a line inside a section inside a section, and matches after variables", () => {
    const files = withLeaf2(
      "remove:\n  - router bgp ${asn}:\n      - address-family ipv4: [network 10.1.0.0/16]\n",
    );
    expect(section(files, "leaf2", "router bgp")).toEqual([
      "router bgp 65102",
      "   router-id 10.255.1.2",
      "   address-family ipv4",
      "      network 10.0.0.0/8",
    ]);
  });

  it("lets the same file's config change the section's other lines", () => {
    const files = withLeaf2(
      'remove:\n  - "interface Ethernet1": ["spanning-tree portfast"]\nconfig: |\n  interface Ethernet1\n     mtu 1500\n',
    );
    expect(section(files, "leaf2", "interface Ethernet1")).toEqual([
      "interface Ethernet1",
      "   description uplink",
      "   mtu 1500",
    ]);
  });

  it("lets a group take a line of a baseline section away from its members", () => {
    const files = {
      "fabric.yaml": minimalFiles["fabric.yaml"]!.replace(
        "  ntp server ${ntp}\n",
        "  ntp server ${ntp}\n  interface Management1\n     description oob\n     mtu 1500\n",
      ),
      "groups/leaf.yaml": `${minimalFiles["groups/leaf.yaml"]}remove:\n  - interface Management1: [mtu]\n`,
    };
    expect(section(files, "leaf2", "interface Management1")).toEqual([
      "interface Management1",
      "   description oob",
    ]);
    expect(section(files, "spine1", "interface Management1")).toContain("   mtu 1500");
  });
});

describe("remove: entries with lines, validation", () => {
  it("refuses a section that nothing earlier gives, at its command", () => {
    const errors = errorsOf(withLeaf2('remove:\n  - "interface Ethernet2": ["mtu 9214"]\n'));
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:6:6 remove-nothing"]);
    expect(errors[0]!.message).toBe(
      'nothing before devices/leaf2.yaml gives "interface Ethernet2", so this remove: entry takes nothing away',
    );
    expect(errors[0]!.hint).toContain('Earlier layers have: "interface Ethernet1"; write the entry as one');
  });

  it("refuses a line the section lacks, at the line, naming the section's lines alike", () => {
    const errors = errorsOf(
      withLeaf2(
        "remove:\n  - interface Ethernet1:\n      - description uplink\n      - spanning-tree bpduguard\n",
      ),
    );
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:8:9 remove-nothing"]);
    expect(errors[0]!.message).toBe(
      '"interface Ethernet1" as the layers before devices/leaf2.yaml give it has no line "spanning-tree bpduguard", so this remove: entry takes nothing away',
    );
    expect(errors[0]!.hint).toMatch(
      /^It has: "spanning-tree portfast"; write the entry as one of those, or delete it\. An entry's lines match/,
    );
  });

  it("says when the section has no line of that command, and names the path of a deeper one", () => {
    const errors = errorsOf(
      withLeaf2("remove:\n  - router bgp:\n      - address-family ipv4: [redistribute connected]\n"),
    );
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:7:31 remove-nothing"]);
    expect(errors[0]!.message).toMatch(/^"router bgp" › "address-family ipv4" as the layers before/);
    expect(errors[0]!.hint).toMatch(/^It has no `redistribute …` line; delete this entry\./);
  });

  it("refuses a group's line that some member's section lacks, naming those members", () => {
    // row1's members: leaf1 gets interface Ethernet1 from leaf with the line; spine1 does not get it at all.
    const files = {
      "groups/leaf.yaml": leafGroup,
      "groups/spine.yaml": `${minimalFiles["groups/spine.yaml"]}  interface Ethernet1\n     description uplink\n`,
      "groups/row1.yaml": "description: row 1\nremove:\n  - interface Ethernet1: [spanning-tree portfast]\n",
    };
    const errors = errorsOf(files);
    expect(errors.map(where)).toEqual(["groups/row1.yaml:3:27 remove-nothing"]);
    expect(errors[0]!.message).toBe(
      '"interface Ethernet1" as the layers before groups/row1.yaml give it to spine1 has no line "spanning-tree portfast", so this remove: entry takes nothing away',
    );
  });

  it("reports an unknown variable in a line at the reference, and a line beside it that takes nothing", () => {
    const errors = errorsOf(
      withLeaf2('remove:\n  - "interface Ethernet1": ["description ${other}", mtu 1500, shutdown]\n'),
    );
    expect(errors.map(where)).toEqual([
      "devices/leaf2.yaml:6:42 unknown-variable",
      "devices/leaf2.yaml:6:63 remove-nothing",
    ]);
  });

  it.each([
    {
      name: "a whole-block entry and one with lines",
      remove: "  - interface Ethernet1\n  - interface Ethernet1: [mtu]\n",
      at: "7:5",
    },
    {
      name: "two entries with lines",
      remove: "  - interface Ethernet1: [mtu]\n  - interface Ethernet1: [description]\n",
      at: "7:5",
    },
    // `router bgp` is single-valued: `router bgp ${asn}` names the same command.
    {
      name: "one command written two ways",
      remove: "  - router bgp: [router-id]\n  - router bgp ${asn}: [address-family ipv4]\n",
      at: "7:5",
    },
    { name: "two lines of one command", remove: "  - interface Ethernet1: [mtu, mtu 9214]\n", at: "6:32" },
  ])("refuses $name for one command, at the second", ({ remove, at }) => {
    const errors = errorsOf(withLeaf2(`remove:\n${remove}`));
    expect(errors.map(where)).toEqual([`devices/leaf2.yaml:${at} remove-repeated`]);
    expect(errors[0]!.hint).toMatch(/^Write one entry per command/);
  });

  it("refuses removing a line that the same file's config sets again, at the line", () => {
    const errors = errorsOf(
      withLeaf2(
        'remove:\n  - "interface Ethernet1": ["mtu 9214"]\nconfig: |\n  interface Ethernet1\n     description uplink\n     mtu 1500\n',
      ),
    );
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:6:30 remove-and-configure"]);
    expect(errors[0]!.message).toBe(
      '"mtu 9214" under "interface Ethernet1" is removed, and line 10 of this file\'s config sets it again',
    );
    expect(errors[0]!.hint).toMatch(/^Keep one: delete this entry to configure the line here/);
  });

  it("refuses an inline secret and a control character in a line of an entry", () => {
    const errors = errorsOf(
      withLeaf2(
        'remove:\n  - router bgp:\n      - neighbor 10.0.0.1 password 0 hunter2\n      - "network\\t10.0.0.0/8"\n',
      ),
    );
    expect(errors.map(where)).toContain("devices/leaf2.yaml:7:9 inline-secret");
    expect(errors.map(where)).toContain("devices/leaf2.yaml:8:17 control-character");
    for (const error of errors) expect(`${error.message} ${error.hint}`).not.toContain("hunter2");
  });

  it.each([
    { name: "an empty list of lines", remove: '  - "interface Ethernet1": []\n', at: "6:28 schema" },
    { name: "lines that are not a list", remove: "  - interface Ethernet1: mtu 9214\n", at: "6:26 schema" },
    {
      name: "a mapping of two commands",
      remove: "  - { vlan 10: [name SERVERS], router bgp: [router-id] }\n",
      at: "6:5 schema",
    },
    { name: "an indented line", remove: "  - interface Ethernet1: ['   mtu 9214']\n", at: "6:27 schema" },
    { name: "a line listed twice", remove: "  - interface Ethernet1: [mtu, mtu]\n", at: "6:32 schema" },
  ])("refuses $name through the schema, at its place", ({ remove, at }) => {
    const errors = errorsOf(withLeaf2(`remove:\n${remove}`));
    expect(errors.map(where)).toEqual([`devices/leaf2.yaml:${at}`]);
  });

  it("says how to write a section's command that has spaces around it", () => {
    const errors = errorsOf(withLeaf2("remove:\n  - ' interface Ethernet1': [mtu]\n"));
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:6:5 schema"]);
    expect(errors[0]!.hint).toMatch(
      /^Write the section's command as one line without leading or trailing spaces/,
    );
  });
});

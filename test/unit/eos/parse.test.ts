import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ConfigParseError,
  parseConfig,
  renderConfig,
  tryParseConfig,
} from "../../../reconciler/src/eos/index.ts";

const fixture = (name: string) =>
  readFileSync(new URL(`../../fixtures/eos/${name}`, import.meta.url), "utf8");

/** The lines that carry config: no separators, comments, `end` or blank lines. */
function meaningful(text: string): string[] {
  return text
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "" && !line.trim().startsWith("!") && line !== "end");
}

describe("parseConfig", () => {
  it("keeps the parent when EOS prints an indented ! before the first nested block", () => {
    const tree = parseConfig(
      [
        "ip security",
        "   !",
        "   ike policy IKE-1",
        "      local-id 192.168.100.1",
        "   !",
        "   sa policy SA-1",
        "      esp encryption aes128",
        "!",
        "hostname leaf1",
      ].join("\n"),
    );
    expect(tree.children.map((n) => n.text)).toEqual(["ip security", "hostname leaf1"]);
    expect(tree.children[0]!.children.map((n) => [n.text, n.children.map((c) => c.text)])).toEqual([
      ["ike policy IKE-1", ["local-id 192.168.100.1"]],
      ["sa policy SA-1", ["esp encryption aes128"]],
    ]);
  });

  it("builds the tree by indentation and keeps comments aside", () => {
    const tree = parseConfig(fixture("leaf1-running.cfg"));
    expect(tree.children.map((n) => n.text)).toEqual([
      "hostname leaf1",
      "vlan 10",
      "vlan 20",
      "interface Ethernet1",
      "interface Ethernet2",
      "interface Port-Channel10",
      "ip prefix-list PL seq 10 permit 10.0.0.0/8",
      "ip prefix-list PL seq 20 permit 11.0.0.0/8",
      "route-map RM permit 10",
      "router bgp 65000",
      "management xmpp",
      "banner login",
    ]);
    const bgp = tree.children[9]!;
    expect(bgp.children.at(-1)).toMatchObject({
      text: "vrf red",
      children: [{ text: "neighbor 1.1.1.2 remote-as 1", line: 34, children: [] }],
    });
    expect(tree.comments).toEqual([{ line: 1, text: "! Command: show running-config" }]);
  });

  it("round-trips: rendering gives back the same meaningful lines", () => {
    const text = fixture("leaf1-running.cfg");
    const rendered = renderConfig(parseConfig(text));
    expect(meaningful(rendered)).toEqual(meaningful(text.replace(/^! .*\n/gm, "")));
    expect(renderConfig(parseConfig(rendered))).toBe(rendered);
  });

  it("keeps a banner as one node with its body verbatim", () => {
    const tree = parseConfig("banner motd\n  Welcome\n!\n\nEOF\nhostname x\n");
    expect(tree.children[0]).toMatchObject({ text: "banner motd", body: ["  Welcome", "!", ""] });
    expect(tree.children[1]!.text).toBe("hostname x");
    expect(renderConfig(tree)).toBe("banner motd\n  Welcome\n!\n\nEOF\n!\nhostname x\n!\n");
  });

  it("accepts any consistent indentation, tabs included", () => {
    const three = parseConfig("router bgp 1\n   vrf a\n      rd 1:1\n");
    const two = parseConfig("router bgp 1\n  vrf a\n    rd 1:1\n");
    const tabs = parseConfig("router bgp 1\n\tvrf a\n\t\trd 1:1\n");
    expect(renderConfig(two)).toBe(renderConfig(three));
    expect(renderConfig(tabs)).toBe(renderConfig(three));
  });

  it("closes a nested block at an indented `!`", () => {
    const tree = parseConfig("router bgp 1\n   vrf a\n      rd 1:1\n   !\n   router-id 1.1.1.1\n");
    expect(tree.children[0]!.children.map((n) => n.text)).toEqual(["vrf a", "router-id 1.1.1.1"]);
  });

  it("collapses inner and trailing whitespace and ignores `end`", () => {
    const tree = parseConfig("interface Ethernet1  \r\n   description  a   b \r\nend\r\n");
    expect(tree.children).toEqual([
      {
        text: "interface Ethernet1",
        line: 1,
        children: [{ text: "description a b", line: 2, children: [] }],
      },
    ]);
  });

  it.each([
    ["binary data", "hostname a\n\u0000\u0001\u0002", 2, "binary"],
    ["a replacement character from a binary file", "hostname a\nvlan 1\n\ufffd", 3, "binary"],
    [
      "tabs and spaces in one file",
      "interface Ethernet1\n   description a\n\tmtu 9000\n",
      3,
      "mixed-indentation",
    ],
    ["tabs and spaces on one line", "interface Ethernet1\n \tmtu 9000\n", 2, "mixed-indentation"],
    ["an indented first line", "   description a\nhostname b\n", 1, "orphan-line"],
    ["a child after a top-level `!`", "hostname a\n!\n   description a\n", 3, "orphan-line"],
    [
      "a dedent to no enclosing level",
      "router bgp 1\n    vrf a\n      rd 1:1\n  router-id 1\n",
      4,
      "bad-indentation",
    ],
    ["an unterminated banner", "hostname a\nbanner login\nhello\n", 2, "unterminated-multiline"],
  ])("rejects %s, naming the line", (_name, text, line, code) => {
    const result = tryParseConfig(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(ConfigParseError);
    expect(result.error).toMatchObject({ line, code });
    expect(result.error.message).toMatch(new RegExp(`^line ${line}: `));
    expect(() => parseConfig(text)).toThrow(ConfigParseError);
  });

  it("parses an empty text to an empty tree", () => {
    expect(parseConfig("")).toEqual({ children: [], comments: [] });
  });
});

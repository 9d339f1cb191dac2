import { describe, expect, it } from "vitest";
import {
  ApplyError,
  applyCommands,
  compareInScope,
  PredictionMismatchError,
  parseConfig,
  remediate,
  renderConfig,
} from "../../../reconciler/src/eos/index.ts";
import type { ManagedScope } from "../../../reconciler/src/fabric/types.ts";

const lines = (...l: string[]) => `${l.join("\n")}\n`;
const predict = (running: string, commands: string[]) =>
  renderConfig(applyCommands(parseConfig(running), commands));

describe("applyCommands", () => {
  it("follows indentation and explicit exits", () => {
    const running = lines("interface Ethernet1", "   description a", "hostname a");
    expect(
      predict(running, [
        "interface Ethernet1",
        "   description b",
        "   exit",
        "hostname b",
        "vlan 10",
        "   name X",
        "   exit",
      ]),
    ).toBe(
      lines("interface Ethernet1", "   description b", "!", "hostname b", "!", "vlan 10", "   name X", "!"),
    );
  });

  it("reads a script without indentation by the modes it enters", () => {
    const running = lines("hostname a");
    const script = [
      "interface Ethernet1",
      "description b",
      "interface Ethernet2",
      "mtu 9214",
      "exit",
      "hostname b",
    ];
    expect(predict(running, script)).toBe(
      lines(
        "hostname b",
        "!",
        "interface Ethernet1",
        "   description b",
        "!",
        "interface Ethernet2",
        "   mtu 9214",
        "!",
      ),
    );
  });

  it("shares untouched subtrees with the running tree", () => {
    const running = parseConfig(
      lines("interface Ethernet1", "   description a", "interface Ethernet2", "   description b"),
    );
    const predicted = applyCommands(running, ["interface Ethernet2", "   description c", "   exit"]);
    expect(predicted.children[0]).toBe(running.children[0]);
    expect(predicted.children[1]).not.toBe(running.children[1]);
    expect(running.children[1]!.children[0]!.text).toBe("description b");
  });

  it("edits a trunk's allowed list with add and remove", () => {
    const running = lines("interface Ethernet1", "   switchport trunk allowed vlan 10-12");
    const script = [
      "interface Ethernet1",
      "   switchport trunk allowed vlan add 20",
      "   switchport trunk allowed vlan remove 11",
      "   exit",
    ];
    expect(predict(running, script)).toBe(
      lines("interface Ethernet1", "   switchport trunk allowed vlan 10,12,20", "!"),
    );
  });

  it("resets a physical port with `default interface` and numbers an unnumbered ACL entry", () => {
    const running = lines(
      "interface Ethernet5",
      "   description x",
      "ip access-list A",
      "   10 permit ip any any",
    );
    const script = ["default interface Ethernet5", "ip access-list A", "   deny ip any any", "   exit"];
    expect(predict(running, script)).toBe(
      lines(
        "interface Ethernet5",
        "!",
        "ip access-list A",
        "   10 permit ip any any",
        "   20 deny ip any any",
        "!",
      ),
    );
  });

  it.each([
    [
      "an ACL entry over an existing number",
      ["ip access-list A", "   10 deny ip any any", "   exit"],
      "duplicate-sequence",
      1,
    ],
    ["an exit at the top", ["hostname b", "exit"], "exit-at-top", 1],
    ["an indented line after a removal", ["no interface Ethernet9", "   description x"], "orphan-command", 1],
    ["an unterminated banner", ["banner login", "hello"], "unterminated-multiline", 0],
  ])("refuses %s", (_name, script, code, index) => {
    const running = parseConfig(lines("ip access-list A", "   10 permit ip any any"));
    let error: unknown;
    try {
      applyCommands(running, script);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ApplyError);
    expect(error).toMatchObject({ code, index });
  });
});

describe("compareInScope", () => {
  const scope: ManagedScope = { sections: ["interface", "router bgp"], ignore: ["^mtu "] };

  it("ignores order, unmanaged sections, ignored lines and hidden defaults", () => {
    const actual = parseConfig(
      lines("hostname a", "interface Ethernet2", "   mtu 1500", "interface Ethernet1", "   description x"),
    );
    const expected = parseConfig(
      lines("interface Ethernet1", "   description x", "   no shutdown", "hostname b"),
    );
    expect(compareInScope(actual, expected, scope)).toEqual({ equal: true });
  });

  it.each([
    [
      lines("interface Ethernet1", "   description x"),
      lines("interface Ethernet1", "   description y"),
      'differs: expected "interface Ethernet1 › description y" (expected line 2), actual has "description x" (actual line 2)',
    ],
    [
      lines("router bgp 1"),
      lines("router bgp 1", "   neighbor 10.0.0.1 remote-as 2"),
      'missing from actual: "router bgp 1 › neighbor 10.0.0.1 remote-as 2" (expected line 2)',
    ],
    [
      lines("interface Ethernet1", "   shutdown"),
      lines("hostname a"),
      'unexpected in actual: "interface Ethernet1" (actual line 1)',
    ],
  ])("names the first differing line", (actual, expected, difference) => {
    expect(compareInScope(parseConfig(actual), parseConfig(expected), scope)).toEqual({
      equal: false,
      firstDifference: difference,
    });
  });
});

describe("prediction check", () => {
  it("refuses a remediation whose prediction is not intended, naming the first differing line", () => {
    // `default mtu` is a command, not a line running-config can contain: no script can produce it.
    const scope: ManagedScope = { sections: ["interface"], ignore: [] };
    const running = parseConfig(lines("interface Ethernet1", "   description a"));
    const intended = parseConfig(lines("interface Ethernet1", "   description b", "   default mtu"));
    let error: unknown;
    try {
      remediate(running, intended, scope);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PredictionMismatchError);
    expect(error).toMatchObject({
      code: "prediction-mismatch",
      firstDifference: 'missing from actual: "interface Ethernet1 › default mtu" (expected line 3)',
      commands: ["interface Ethernet1", "   description b", "   default mtu", "   exit"],
    });
  });
});

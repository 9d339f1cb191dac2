import { describe, expect, it } from "vitest";
import { scriptMessages, TooLargeError } from "../../../reconciler/src/transport/index.ts";

describe("scriptMessages", () => {
  it("puts a multiline script in one message and drops blank and comment lines", () => {
    expect(
      scriptMessages("leaf1", ["configure session s", "!", "", "vlan 30  ", "end"], "multiline", 1000),
    ).toEqual(["configure session s\nvlan 30\nend"]);
  });

  it("sends one line per message in per-sender mode, terminator last", () => {
    expect(
      scriptMessages("leaf1", ["configure session s", "vlan 30"], "per-sender", 1000, "show hostname"),
    ).toEqual(["configure session s", "vlan 30", "show hostname"]);
  });

  it("adds no terminator to an empty script", () => {
    expect(scriptMessages("leaf1", [], "multiline", 1000, "show hostname")).toEqual([]);
  });

  it("splits a long multiline script and re-enters the session and the enclosing section", () => {
    const lines = [
      "configure session s",
      "interface Ethernet1",
      "   description a",
      "   mtu 9000",
      "   ip address 10.0.0.1/31",
      "vlan 30",
    ];
    const messages = scriptMessages("leaf1", lines, "multiline", 80);
    expect(messages).toEqual([
      "configure session s\ninterface Ethernet1\n   description a\n   mtu 9000",
      "configure session s\ninterface Ethernet1\n   ip address 10.0.0.1/31\nvlan 30",
    ]);
  });

  it("refuses a line longer than a message", () => {
    expect(() => scriptMessages("leaf1", ["x".repeat(101)], "per-sender", 100)).toThrow(TooLargeError);
  });
});

import { createTwoFilesPatch } from "diff";
import { describe, expect, it } from "vitest";
import { managedDiff } from "../../../reconciler/src/drift/index.ts";

/** What managedDiff gave before a side could be empty without running jsdiff's diff. */
function jsdiffPatch(device: string, from: string, to: string, labels: [string, string]): string {
  const withNewline = (text: string) => (text.endsWith("\n") || text === "" ? text : `${text}\n`);
  return createTwoFilesPatch(
    `${device} (${labels[0]})`,
    `${device} (${labels[1]})`,
    withNewline(from),
    withNewline(to),
    undefined,
    undefined,
    { context: 2 },
  ).replace(/^=+\n/, "");
}

describe("managedDiff", () => {
  it("shows a section added whole as one hunk of added lines", () => {
    expect(managedDiff("leaf1", "", "vlan 10\n   name users\n!\n", ["running", "intended"])).toBe(
      "--- leaf1 (running)\n+++ leaf1 (intended)\n@@ -0,0 +1,3 @@\n+vlan 10\n+   name users\n+!\n",
    );
  });

  it.each([
    ["", "vlan 10\n   name users\n!\n"],
    ["vlan 10\n   name users\n!\n", ""],
    ["", "hostname leaf1"],
    ["ntp server 10.0.0.1\n", ""],
    ["", "banner motd\n\n  two blank lines above and below\n\nEOF\n!\n"],
  ])("gives jsdiff's patch when one side is empty (%j → %j)", (from, to) => {
    for (const labels of [
      ["running", "intended"],
      ["same", "same"],
    ] as [string, string][]) {
      expect(managedDiff("leaf1", from, to, labels)).toBe(jsdiffPatch("leaf1", from, to, labels));
    }
  });

  it("is empty when both sides are equal", () => {
    expect(managedDiff("leaf1", "", "", ["a", "b"])).toBe("");
    expect(managedDiff("leaf1", "vlan 10\n", "vlan 10\n", ["a", "b"])).toBe("");
  });
});

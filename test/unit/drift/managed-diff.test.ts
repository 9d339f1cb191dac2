import { createTwoFilesPatch } from "diff";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { managedDiff } from "../../../reconciler/src/drift/index.ts";

/** What managedDiff gave before it skipped jsdiff's diff for one-sided texts and remembered shapes. */
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

  it("gives each of two diffs of one shape its own lines", () => {
    // The same lines equal the same lines on both switches: one shape, two texts.
    const leaf = (name: string, description: string) =>
      `interface Ethernet1\n   description ${name} ${description}\n!\nhostname ${name}\n!\n`;
    for (const name of ["leaf1", "leaf2"]) {
      expect(managedDiff(name, leaf(name, "old"), leaf(name, "new"), ["running", "intended"])).toBe(
        `--- ${name} (running)\n+++ ${name} (intended)\n@@ -1,4 +1,4 @@\n interface Ethernet1\n-   description ${name} old\n+   description ${name} new\n !\n hostname ${name}\n`,
      );
    }
  });

  it("gives jsdiff's patch for any two texts", () => {
    // Few distinct lines, so that texts repeat lines and many pairs share a shape with other words.
    const line = fc.constantFrom("!", "vlan 10", "   name users", "interface Ethernet1", "", "   mtu 9214");
    const text = fc.array(line, { maxLength: 12 }).map((lines) => lines.map((l) => `${l}\n`).join(""));
    const word = fc.constantFrom("", "x", "spine");
    fc.assert(
      fc.property(text, text, word, (from, to, suffix) => {
        const a = from.replaceAll("users", `users${suffix}`);
        const b = to.replaceAll("users", `users${suffix}`);
        expect(managedDiff("leaf1", a, b, ["running", "intended"])).toBe(
          a === b ? "" : jsdiffPatch("leaf1", a, b, ["running", "intended"]),
        );
      }),
      { numRuns: 2000 },
    );
  });
});

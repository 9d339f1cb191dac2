/**
 * The simulator's `show session-config diffs` (sim/cli/diff.ts) has a line diff of its own: every diff it
 * prints must turn the running config into the session's, be as short as jsdiff's, and read as jsdiff's
 * did where the edit has one shortest form.
 */
import { applyPatch, structuredPatch } from "diff";
import { describe, expect, it } from "vitest";
import { sessionDiff } from "../../../reconciler/sim/cli/diff.ts";

/** What `show session-config diffs` printed before, through jsdiff. */
function jsdiffSessionDiff(running: string, candidate: string): string {
  const patch = structuredPatch("running", "session", running, candidate, "", "", { context: 3 });
  const out = ["--- system:/running-config", "+++ session:/s-session-config"];
  for (const h of patch.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    out.push(...h.lines.filter((l) => !l.startsWith("\\")));
  }
  return out.join("\n");
}

const changedLines = (diff: string) =>
  diff
    .split("\n")
    .slice(2)
    .filter((l) => l.startsWith("+") || l.startsWith("-")).length;

/** Fitted onto `running` by jsdiff's own patch reader. */
const patched = (running: string, diff: string) => applyPatch(running, diff);

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

const POOL = [
  "!",
  "   !",
  "vlan 10",
  "   name web",
  "interface Ethernet1",
  "   shutdown",
  "ip routing",
  "end",
];

describe("the simulator's session diff", () => {
  it("turns running into the session, as short as jsdiff's, for 3,000 random edits of repetitive configs", () => {
    const next = random(7);
    let identical = 0;
    for (let trial = 0; trial < 3000; trial++) {
      const running = Array.from({ length: Math.floor(next() * 40) }, (_, i) => {
        const line = POOL[Math.floor(next() * POOL.length)]!;
        return next() < 0.3 ? `${line} ${i}` : line;
      });
      const session = running.filter(() => next() > 0.15);
      for (let i = 0; i < 4; i++)
        if (next() < 0.5)
          session.splice(
            Math.floor(next() * (session.length + 1)),
            0,
            POOL[Math.floor(next() * POOL.length)]!,
          );
      const [a, b] = [`${running.join("\n")}\n`, `${session.join("\n")}\n`];
      const diff = sessionDiff("s", a, b);
      if (a === b) {
        expect(diff).toBe("");
        continue;
      }
      expect(patched(a, diff)).toBe(b);
      expect(changedLines(diff)).toBe(changedLines(jsdiffSessionDiff(a, b)));
      if (diff === jsdiffSessionDiff(a, b)) identical++;
    }
    // Where several shortest edits exist the two may pick different lines; most edits have one.
    expect(identical).toBeGreaterThan(2500);
  });

  it("prints the EOS headers and the hunks jsdiff printed for an edit with one shortest form", () => {
    const running = [
      "! Command: show running-config",
      "hostname leaf1",
      "!",
      "vlan 10",
      "   name servers",
      "!",
      "interface Ethernet1",
      "   description uplink",
      "!",
      "ip routing",
      "!",
      "end",
      "",
    ].join("\n");
    const session = running
      .replace("   name servers", "   name web")
      .replace("ip routing\n", "ip routing\nip multicast-routing\n");
    expect(sessionDiff("r1", running, session)).toBe(
      [
        "--- system:/running-config",
        "+++ session:/r1-session-config",
        "@@ -2,11 +2,12 @@",
        " hostname leaf1",
        " !",
        " vlan 10",
        "-   name servers",
        "+   name web",
        " !",
        " interface Ethernet1",
        "    description uplink",
        " !",
        " ip routing",
        "+ip multicast-routing",
        " !",
        " end",
      ].join("\n"),
    );
    expect(sessionDiff("r1", running, session).replace("r1", "s")).toBe(jsdiffSessionDiff(running, session));
  });

  it("is empty when the session changes nothing, and falls back to jsdiff for wholly different configs", () => {
    expect(sessionDiff("s", "a\nb\n", "a\nb\n")).toBe("");
    const before = `${Array.from({ length: 1100 }, (_, i) => `interface Ethernet${i}`).join("\n")}\n`;
    const after = `${Array.from({ length: 1100 }, (_, i) => `vlan ${i}`).join("\n")}\n`;
    const diff = sessionDiff("s", before, after);
    expect(patched(before, diff)).toBe(after);
    expect(diff).toBe(jsdiffSessionDiff(before, after));
  });
});

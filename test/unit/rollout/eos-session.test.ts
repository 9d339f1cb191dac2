import { describe, expect, it } from "vitest";
import {
  abortScript,
  commitTimerScript,
  confirmScript,
  errorLines,
  runningConfigIn,
  saveScript,
  sessionNameFor,
  stageScript,
} from "../../../reconciler/src/rollout/eos-session.ts";

describe("EOS config-session scripts", () => {
  it("enters the session once and leaves config mode; the rest are EXEC one-liners naming it", () => {
    expect(stageScript("s1", ["vlan 20", "   name STORAGE", "   exit"])).toEqual([
      "configure session s1",
      "vlan 20",
      "   name STORAGE",
      "   exit",
      "end",
    ]);
    expect(commitTimerScript("s1", "00:05:00", "running-config")).toEqual([
      "configure session s1 commit timer 00:05:00",
      "show running-config",
    ]);
    // The diff is asked before the commit: afterwards the session is committed and diffs nothing.
    expect(commitTimerScript("s1", "00:05:00", "session-diff")).toEqual([
      "show session-config named s1 diffs",
      "configure session s1 commit timer 00:05:00",
    ]);
    expect(confirmScript("s1")).toEqual(["configure session s1 commit"]);
    expect(abortScript("s1")).toEqual(["configure session s1 abort"]);
    expect(saveScript()).toEqual(["copy running-config startup-config"]);
  });

  it("names a session from the run id with only the characters EOS takes", () => {
    expect(sessionNameFor("20261123T120915-623431")).toBe("reconciler-20261123T120915-623431");
    expect(sessionNameFor("a b/c:d")).toBe("reconciler-a-b-c-d");
    expect(sessionNameFor("x".repeat(80))).toHaveLength(48);
  });

  it("finds EOS error lines and the running config in a reply", () => {
    const reply = "% Invalid input (at token 0: 'foo')\nhostname leaf1\n   % Incomplete command";
    expect(errorLines(reply)).toEqual(["% Invalid input (at token 0: 'foo')", "% Incomplete command"]);
    expect(runningConfigIn("% Warning: x\nhostname leaf1\n!")).toBe("hostname leaf1\n!");
  });
});

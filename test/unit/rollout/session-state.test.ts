import { describe, expect, it } from "vitest";
import { listedSessionState } from "../../../reconciler/src/rollout/eos-session.ts";
import { compileSafetyPolicy, deniedScriptLines } from "../../../reconciler/src/safety/index.ts";

describe("listedSessionState: a session's state from the switch's own table", () => {
  const table = [
    "Maximum number of completed sessions: 1",
    "Maximum number of pending sessions: 5",
    "",
    "  Name                     State               User    Terminal",
    "  ------------------------ ------------------- ------- --------",
    "  reconciler-a             completed",
    "* reconciler-b             pending             admin   vty8",
    "  reconciler-c             pendingCommitTimer",
  ].join("\n");

  it.each([
    ["reconciler-a", "committed"],
    ["reconciler-b", "pending"],
    ["reconciler-c", "committed-with-timer"],
    ["reconciler-d", undefined],
  ])("reads %s as %s", (name, state) => {
    expect(listedSessionState(table, name)).toBe(state);
  });

  it("reads the detailed form's pending commit timer line", () => {
    expect(listedSessionState("Session with pending commit timer: reconciler-x\n", "reconciler-x")).toBe(
      "committed-with-timer",
    );
  });
});

describe("deniedScriptLines: a plan's batch is checked before it is sent", () => {
  it("lets the engine's own section exits and a banner body through", () => {
    expect(
      deniedScriptLines([
        "interface Ethernet1",
        "   description x",
        "   exit",
        "banner motd",
        "reload at will",
        "EOF",
      ]),
    ).toEqual([]);
  });

  it.each([["commit"], ["do reload"], ["interface Ethernet1", "   WR MEM"], ["alias x bash ls"]])(
    "refuses %j",
    (...commands) => {
      expect(deniedScriptLines(commands)).toHaveLength(1);
    },
  );

  it("applies the fabric's own deny rules to the script as well", () => {
    const policy = compileSafetyPolicy({
      deny: [{ pattern: "^boot system", reason: "upgrades are separate" }],
    });
    expect(deniedScriptLines(["boot system flash:EOS.swi"])).toEqual([]);
    expect(deniedScriptLines(["BOOT system flash:EOS.swi"], policy)).toEqual([
      'denied command "BOOT system flash:EOS.swi" (EOS reads "boot system flash:EOS.swi"): upgrades are separate',
    ]);
  });
});

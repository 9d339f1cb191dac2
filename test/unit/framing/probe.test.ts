import { describe, expect, it } from "vitest";
import { probeLines, readProbeReply } from "../../../reconciler/src/framing/index.ts";

describe("the framing probe", () => {
  it("opens, shows and aborts one throw-away session, one line per message", () => {
    expect(probeLines("reconciler-probe-ab12")).toEqual([
      "configure session reconciler-probe-ab12",
      "show session-config",
      "configure session reconciler-probe-ab12 abort",
    ]);
  });

  it.each([
    // the mode was kept: the second message ran inside the session
    ["! Command: show session-config\n! device: leaf1 (vEOS-lab)\nhostname leaf1", "per-sender"],
    // a fresh CLI per message: the second message ran in EXEC
    ["% Error: not in a configuration session (use: show session-config named NAME)", "multiline"],
    ["% Invalid input", "multiline"],
    // a quoted header in the middle of a line is not the command's own header
    ["% Invalid input at '! Command: show session-config'", "multiline"],
  ])("reads %j as %s", (reply, mode) => {
    expect(readProbeReply(reply)).toBe(mode);
  });
});

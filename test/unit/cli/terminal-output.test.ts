import { describe, expect, it } from "vitest";
import { progressDisplay } from "../../../reconciler/src/cli/progress.ts";
import { styleFor } from "../../../reconciler/src/report/text.ts";

describe("terminal output", () => {
  it("colours only on a TTY", () => {
    expect(styleFor(true).red("x")).toBe("\u001b[31mx\u001b[39m");
    expect(styleFor(false).red("x")).toBe("x");
  });

  it("shows rollout progress on one rewritten line on a TTY, and nothing off it", () => {
    const written: string[] = [];
    const tty = progressDisplay((t) => written.push(t), true, styleFor(false));
    tty.onEvent({ type: "wave-start", runId: "r", wave: 1, devices: ["leaf1", "leaf2"] });
    tty.onEvent({ type: "device", runId: "r", device: "leaf1", phase: "staged" });
    tty.onEvent({ type: "device", runId: "r", device: "leaf1", phase: "confirmed" });
    tty.onEvent({ type: "device", runId: "r", device: "leaf2", phase: "rolled-back" });
    expect(written.at(-1)).toBe(
      "\r\u001b[Kwave 1: 2 switches · staged 1 · verified 1 · confirmed 1 · failed 1",
    );

    const silent: string[] = [];
    const pipe = progressDisplay((t) => silent.push(t), false, styleFor(false));
    pipe.onEvent({ type: "wave-start", runId: "r", wave: 0, devices: ["leaf1"] });
    pipe.done();
    expect(silent).toEqual([]);
  });
});

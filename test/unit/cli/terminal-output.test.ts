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
    const tty = progressDisplay((t) => written.push(t), true, styleFor(false), 0);
    tty.onEvent({ type: "wave-start", runId: "r", wave: 1, devices: ["leaf1", "leaf2"] });
    tty.onEvent({ type: "device", runId: "r", device: "leaf1", phase: "staged" });
    tty.onEvent({ type: "device", runId: "r", device: "leaf1", phase: "confirmed" });
    tty.onEvent({ type: "device", runId: "r", device: "leaf2", phase: "rolled-back" });
    expect(written.at(-1)).toBe(
      "\r\u001b[Kwave 1: 2 switches · staged 1 · verified 1 · confirmed 1 · failed 1",
    );

    // Redrawn at most every 100 ms by default: many events at once draw the first, then the last state.
    const throttled: string[] = [];
    const busy = progressDisplay((t) => throttled.push(t), true, styleFor(false));
    const wave = Array.from({ length: 2000 }, (_, i) => `sw${i}`);
    busy.onEvent({ type: "wave-start", runId: "r", wave: 0, devices: wave });
    for (const device of wave) busy.onEvent({ type: "device", runId: "r", device, phase: "staged" });
    expect(throttled.length).toBeLessThan(5);
    busy.onEvent({ type: "wave-end", runId: "r", wave: 0, ok: true });
    expect(throttled.at(-2)).toBe("\r\u001b[Kwave 0: 2000 switches · staged 2000 · verified 0 · confirmed 0");

    // The next wave starts while the one before still confirms: its line stays, its late events do not
    // count in the new wave, and its end closes no line.
    const overlap: string[] = [];
    const waves = progressDisplay((t) => overlap.push(t), true, styleFor(false), 0);
    waves.onEvent({ type: "wave-start", runId: "r", wave: 0, devices: ["spine1"] });
    waves.onEvent({ type: "device", runId: "r", device: "spine1", phase: "verified" });
    waves.onEvent({ type: "wave-start", runId: "r", wave: 1, devices: ["leaf1", "leaf2"] });
    waves.onEvent({ type: "device", runId: "r", device: "spine1", phase: "confirmed" });
    waves.onEvent({ type: "wave-end", runId: "r", wave: 0, ok: true });
    waves.onEvent({ type: "device", runId: "r", device: "leaf1", phase: "staged" });
    expect(overlap.join("")).toBe(
      [
        "\r\u001b[Kwave 0: 1 switch · staged 0 · verified 0 · confirmed 0",
        "\r\u001b[Kwave 0: 1 switch · staged 1 · verified 1 · confirmed 0\n",
        "\r\u001b[Kwave 1: 2 switches · staged 0 · verified 0 · confirmed 0",
        "\r\u001b[Kwave 1: 2 switches · staged 1 · verified 0 · confirmed 0",
      ].join(""),
    );

    const silent: string[] = [];
    const pipe = progressDisplay((t) => silent.push(t), false, styleFor(false));
    pipe.onEvent({ type: "wave-start", runId: "r", wave: 0, devices: ["leaf1"] });
    pipe.done();
    expect(silent).toEqual([]);
  });
});

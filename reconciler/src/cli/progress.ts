import type { RunnerEvent } from "../reconcile/index.ts";
import type { Style } from "../report/text.ts";

/** How many switches have reached each step (or passed it), kept as events come: a wave may be thousands. */
const stepsReached: Record<string, readonly ("staged" | "verified" | "confirmed" | "failed")[]> = {
  staged: ["staged"],
  committed: ["staged"],
  verified: ["staged", "verified"],
  confirmed: ["staged", "verified", "confirmed"],
  failed: ["failed"],
  "rolled-back": ["failed"],
};

/**
 * A one-line progress display on a terminal (stderr, rewritten in place): the phase, then per wave
 * how many switches are staged, verified and confirmed. Off the terminal it stays silent, so logs
 * and `--json` output carry only the result. The line is redrawn at most every `minIntervalMs` (the
 * last state is always drawn), so 2,000 switches' events do not flood the terminal.
 */
export function progressDisplay(
  write: (text: string) => void,
  isTTY: boolean,
  style: Style,
  minIntervalMs = 100,
) {
  if (!isTTY) return { onEvent: (_: RunnerEvent) => {}, done: () => {} };
  let waveSize = 0;
  let wave = 0;
  const phaseOf = new Map<string, string>();
  /** The current wave's switches: an earlier wave's confirms still arrive after the next one started. */
  let members = new Set<string>();
  let lineOpen = false;
  const reached = { staged: 0, verified: 0, confirmed: 0, failed: 0 };
  let lastDrawn = Number.NEGATIVE_INFINITY;
  let pending: NodeJS.Timeout | undefined;
  const show = (text: string) => write(`\r\x1b[K${text}`);
  const summary = () =>
    `wave ${wave}: ${waveSize} ${waveSize === 1 ? "switch" : "switches"} · staged ${reached.staged} · verified ${reached.verified} · confirmed ${reached.confirmed}${reached.failed ? style.red(` · failed ${reached.failed}`) : ""}`;
  const draw = () => {
    clearTimeout(pending);
    pending = undefined;
    lastDrawn = performance.now();
    show(summary());
  };
  const drawSoon = () => {
    const wait = lastDrawn + minIntervalMs - performance.now();
    if (wait <= 0) draw();
    else pending ??= setTimeout(draw, wait).unref();
  };
  const count = (phase: string | undefined, by: number) => {
    for (const step of (phase && stepsReached[phase]) || []) reached[step] += by;
  };
  return {
    onEvent(event: RunnerEvent) {
      if (event.type === "phase")
        show(style.dim(`${event.phase}${event.detail ? ` ${event.detail}` : ""} …`));
      else if (event.type === "wave-start") {
        if (lineOpen) write("\n"); // the wave before keeps its last line; its confirm is on its way
        wave = event.wave;
        waveSize = event.devices.length;
        members = new Set(event.devices);
        phaseOf.clear();
        for (const step of Object.keys(reached) as (keyof typeof reached)[]) reached[step] = 0;
        lineOpen = true;
        draw();
      } else if (event.type === "device") {
        if (!members.has(event.device)) return;
        count(phaseOf.get(event.device), -1);
        phaseOf.set(event.device, event.phase);
        count(event.phase, +1);
        drawSoon();
      } else if (event.type === "wave-end") {
        if (event.wave !== wave) return;
        draw();
        write("\n");
        lineOpen = false;
      }
    },
    done: () => {
      clearTimeout(pending);
      write("\r\x1b[K");
    },
  };
}

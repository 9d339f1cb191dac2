import type { RunnerEvent } from "../reconcile/index.ts";
import type { Style } from "../report/text.ts";

/**
 * A one-line progress display on a terminal (stderr, rewritten in place): the phase, then per wave
 * how many switches are staged, verified and confirmed. Off the terminal it stays silent, so logs
 * and `--json` output carry only the result.
 */
export function progressDisplay(write: (text: string) => void, isTTY: boolean, style: Style) {
  if (!isTTY) return { onEvent: (_: RunnerEvent) => {}, done: () => {} };
  let waveDevices: string[] = [];
  let wave = 0;
  const phaseOf = new Map<string, string>();
  const show = (text: string) => write(`\r\x1b[K${text}`);
  const summary = () => {
    const count = (phase: string) => [...phaseOf.values()].filter((p) => p === phase).length;
    const failed = count("failed") + count("rolled-back");
    return `wave ${wave}: ${waveDevices.length} ${waveDevices.length === 1 ? "switch" : "switches"} · staged ${count("staged") + count("committed") + count("verified") + count("confirmed")} · verified ${count("verified") + count("confirmed")} · confirmed ${count("confirmed")}${failed ? style.red(` · failed ${failed}`) : ""}`;
  };
  return {
    onEvent(event: RunnerEvent) {
      if (event.type === "phase")
        show(style.dim(`${event.phase}${event.detail ? ` ${event.detail}` : ""} …`));
      else if (event.type === "wave-start") {
        wave = event.wave;
        waveDevices = event.devices;
        phaseOf.clear();
        show(summary());
      } else if (event.type === "device") {
        phaseOf.set(event.device, event.phase);
        show(summary());
      } else if (event.type === "wave-end") {
        show(summary());
        write("\n");
      }
    },
    done: () => write("\r\x1b[K"),
  };
}

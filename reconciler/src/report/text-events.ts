import type { EventRecord } from "../events/index.ts";
import type { Style } from "./style.ts";

const CHANGED = new Set(["proposed", "applied"]);

/** `reconciler history --events`: one line per decision, newest last, with why. */
export function renderEventsText(records: EventRecord[], style: Style): string {
  if (records.length === 0) return "No switch events recorded yet.\n";
  const lines = records.map((r) => {
    const outcome = CHANGED.has(r.outcome)
      ? style.green(r.outcome)
      : r.outcome === "failed" || r.outcome === "refused"
        ? style.red(r.outcome)
        : r.outcome;
    const who = r.device ?? `${r.source} (${r.transport})`;
    const why = r.reason ? ` (${r.reason})` : "";
    const times = r.repeats && r.repeats > 1 ? ` ×${r.repeats}` : "";
    const what = r.summary ?? r.detail ?? "";
    return `${r.at}  ${who.padEnd(12)}  ${(r.rule ?? "-").padEnd(10)}  ${outcome}${why}${times}  ${what}`;
  });
  return `${lines.join("\n")}\n`;
}

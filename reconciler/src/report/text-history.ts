import type { RunHistoryEntry } from "../journal/index.ts";
import { type Style, shortSha } from "./style.ts";

export function renderHistoryText(runs: RunHistoryEntry[], style: Style): string {
  if (runs.length === 0) return "No runs recorded yet.\n";
  const lines = runs.map((run) => {
    const outcome =
      run.outcome === "interrupted" || run.outcome === "failed" ? style.red(run.outcome) : run.outcome;
    const devices = run.devices?.length
      ? `  ${run.devices.map((d) => `${d.device}:${d.outcome}`).join(" ")}`
      : "";
    return `${run.startedAt}  ${run.runId}  ${run.kind.padEnd(5)}  ${run.trigger.padEnd(12)}  ${shortSha(run.revision ?? "-").padEnd(10)}  ${outcome}${devices}${run.message ? `\n    ${run.message}` : ""}`;
  });
  return `${lines.join("\n")}\n`;
}

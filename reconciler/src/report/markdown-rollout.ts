import type { DeviceOutcome, RolloutResult } from "../rollout/types.ts";
import {
  assembleWithinBudget,
  DEFAULT_COMMENT_BUDGET,
  type FoldableSection,
  type MarkdownOptions,
  nameList,
  plural,
  revisionLabel,
  tableCell,
} from "./markdown-blocks.ts";

const OUTCOMES: DeviceOutcome[] = ["changed", "rolled-back", "unknown", "untouched", "in-sync"];

/** "succeeded: 3 changed, 1 rolled back" */
export function rolloutOneLine(result: RolloutResult): string {
  const counts = OUTCOMES.map((o) => [o, result.devices.filter((d) => d.outcome === o).length] as const)
    .filter(([, n]) => n > 0)
    .map(([o, n]) => `${n} ${o.replace("-", " ")}`);
  const why = result.message ? ` — ${result.message}` : "";
  return `${result.outcome}${counts.length ? `: ${counts.join(", ")}` : ""}${why}`;
}

/** A RolloutResult as GitHub markdown: the outcome of every switch, for the merged PR's comment. */
export function renderRolloutMarkdown(result: RolloutResult, options: MarkdownOptions): string {
  const budget = options.budget ?? DEFAULT_COMMENT_BUDGET;
  const seconds = (Date.parse(result.finishedAt) - Date.parse(result.startedAt)) / 1000;
  const title = `### Apply ${revisionLabel(result.revision)} to fabric \`${result.fabric}\`: **${result.outcome}**`;
  const facts =
    `Run \`${result.runId}\` · ${Number.isFinite(seconds) ? `${seconds.toFixed(1)} s` : "duration unknown"} · ` +
    `${plural(result.messages, "XMPP message")}`;
  const message = result.message ? `\n\n> ${tableCell(options.redact(result.message))}` : "";
  const summary = [
    "| Outcome | Switches | Names |",
    "| --- | ---: | --- |",
    ...OUTCOMES.map((o) => {
      const names = result.devices.filter((d) => d.outcome === o).map((d) => d.device);
      return `| ${o} | ${names.length} | ${tableCell(nameList(names, 400))} |`;
    }),
  ].join("\n");
  const notable = result.devices.filter((d) => d.outcome !== "in-sync");
  const tableHead =
    notable.length > 0
      ? "\n\n| Switch | Outcome | Wave | Time | Reason |\n| --- | --- | ---: | ---: | --- |"
      : "";
  const head = `${title}\n\n${facts}${message}\n\n${summary}${tableHead}`;
  const rows: FoldableSection[] = notable.map((d) => ({
    name: d.device,
    text:
      `| ${tableCell(d.device)} | ${d.outcome} | ${d.wave} | ` +
      `${d.durationMs === undefined ? "" : `${(d.durationMs / 1000).toFixed(1)} s`} | ` +
      `${tableCell(options.redact(d.reason ?? ""))} |`,
  }));
  return assembleWithinBudget(head, rows, "", {
    budget,
    noun: ["switch", "switches"],
    reportUrl: options.reportUrl,
    separator: "\n",
  });
}

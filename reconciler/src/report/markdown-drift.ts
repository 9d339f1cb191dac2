import { type DeviceDrift, type DriftReport, heldSentence } from "../drift/types.ts";
import {
  assembleWithinBudget,
  codeBlock,
  DEFAULT_COMMENT_BUDGET,
  details,
  escapeHtml,
  type FoldableSection,
  type MarkdownOptions,
  nameList,
  plural,
  revisionLabel,
  tableCell,
} from "./markdown-blocks.ts";
import { rolloutOneLine } from "./markdown-rollout.ts";

/**
 * A DriftReport as GitHub markdown: per drifted switch what differs, since when, and the
 * remediation that would fix it (DESIGN §9), secrets redacted, within the budget.
 */
export function renderDriftMarkdown(report: DriftReport, options: MarkdownOptions): string {
  const budget = options.budget ?? DEFAULT_COMMENT_BUDGET;
  const names = (status: DeviceDrift["status"]) =>
    report.devices.filter((d) => d.status === status).map((d) => d.device);
  const drifted = names("drifted");
  const unreachable = names("unreachable");
  const title = `### Drift in fabric \`${report.fabric}\` against ${revisionLabel(report.revision)}`;
  const verdict =
    drifted.length === 0
      ? `**No drift.** ${plural(names("in-sync").length, "switch", "switches")} match the desired state.`
      : `**${plural(drifted.length, "switch", "switches")} drifted** from the desired state.`;
  const row = (label: string, list: string[]) =>
    `| ${label} | ${list.length} | ${tableCell(nameList(list, 400))} |`;
  const table = [
    "| Status | Switches | Names |",
    "| --- | ---: | --- |",
    row("drifted", drifted),
    row("in sync", names("in-sync")),
    row("unreachable", unreachable),
  ].join("\n");
  const healed = report.healed
    ? `\n\n**Self-heal:** ${rolloutOneLine(report.healed)}`
    : report.healRefused
      ? `\n\n**Not healed:** ${report.healRefused.message}`
      : "";
  const held = report.held ? `\n\n> [!NOTE]\n> ${heldSentence(report.held)}` : "";
  const head = `${title}\n\n${verdict}${held}\n\n${table}${healed}`;

  const sections: FoldableSection[] = report.devices
    .filter((d) => d.status !== "in-sync")
    .map((d) => (d.status === "drifted" ? driftSection(d, options) : unreachableSection(d)));
  const tail = `<sub>Checked ${report.checkedAt} · run \`${report.runId}\`</sub>`;
  return assembleWithinBudget(head, sections, tail, {
    budget,
    noun: ["switch", "switches"],
    reportUrl: options.reportUrl,
  });
}

function driftSection(drift: DeviceDrift, options: MarkdownOptions): FoldableSection {
  const since = drift.since ? ` since ${escapeHtml(drift.since)}` : "";
  const parts: string[] = [];
  if (drift.diff) parts.push(`Intended → live:\n\n${codeBlock(drift.diff, options, "diff")}`);
  if (drift.remediation && drift.remediation.length > 0) {
    parts.push(
      `Remediation (what \`reconciler apply\` or self-heal sends):\n\n${codeBlock(drift.remediation.join("\n"), options)}`,
    );
  }
  const summary = `<b>${escapeHtml(drift.device)}</b> drifted${since}`;
  return { name: drift.device, text: details(summary, parts.join("\n\n") || "No diff recorded.") };
}

function unreachableSection(drift: DeviceDrift): FoldableSection {
  return {
    name: drift.device,
    text: `- **${drift.device}** — unreachable: ${tableCell(drift.error ?? "no reason given")}`,
  };
}

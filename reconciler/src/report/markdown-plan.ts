import type { Batch, DevicePlan, Plan } from "../plan/types.ts";
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

/** Below this length the whole report is shown with its `<details>` open. */
const OPEN_BELOW = 4_000;

/**
 * A Plan as GitHub markdown (PR comment, `plan --markdown`, job summary): a summary table, one
 * `<details>` per group batch and per changing switch, secrets redacted, within the budget.
 */
export function renderPlanMarkdown(plan: Plan, options: MarkdownOptions): string {
  const budget = options.budget ?? DEFAULT_COMMENT_BUDGET;
  const head = planHead(plan);
  const closed = planSections(plan, options, false);
  const tail = `<sub>Plan created ${plan.createdAt} from ${escapeHtml(plan.revision.source)}.</sub>`;
  const fold = {
    budget,
    noun: ["switch or group batch", "switches and group batches"] as [string, string],
    reportUrl: options.reportUrl,
  };
  const compact = assembleWithinBudget(head, closed, tail, fold);
  if (compact.length >= OPEN_BELOW) return compact;
  return assembleWithinBudget(head, planSections(plan, options, true), tail, fold);
}

function planHead(plan: Plan): string {
  const s = plan.summary;
  const title = `### Plan for fabric \`${plan.fabric}\` at ${revisionLabel(plan.revision)}`;
  const verdict =
    s.changed === 0
      ? `**No changes.** ${plural(s.inSync, "switch", "switches")} in sync.`
      : `**${plural(s.changed, "switch", "switches")} to change** in ${plural(s.batches, "batch", "batches")} ` +
        `(${s.groupBatches} to group rooms): ${plural(s.messages, "XMPP message")} for ` +
        `${plural(s.commands, "command line")} across switches.`;
  const byStatus = (status: DevicePlan["status"]) =>
    plan.devices.filter((d) => d.status === status).map((d) => d.device);
  const row = (label: string, names: string[]) =>
    `| ${label} | ${names.length} | ${tableCell(nameList(names, 400))} |`;
  const table = [
    "| Status | Switches | Names |",
    "| --- | ---: | --- |",
    row("changes", byStatus("changes")),
    row("in sync", byStatus("in-sync")),
    row("unreachable", byStatus("unreachable")),
    row("error", byStatus("error")),
  ].join("\n");
  const waves = plan.waves
    .filter((w) => w.length > 0)
    .map((w, i) => `${i === 0 ? "canary" : `wave ${i}`}: ${nameList(w, 160)}`);
  const problems =
    s.unreachable + s.errors > 0
      ? "\n\n> [!WARNING]\n> Some switches could not be planned; they are listed below and will not be changed."
      : "";
  const rollout = waves.length > 0 && s.changed > 0 ? `\n\nRollout order — ${waves.join(" · ")}` : "";
  const settings = plan.settingsChangeOnMerge?.length
    ? `\n\n> [!IMPORTANT]\n> **These settings change on merge:** ${plan.settingsChangeOnMerge.map((f) => `\`${escapeHtml(f)}\``).join(", ")}. ` +
      "This plan connected with the tracked branch's settings; a pull request never chooses where the reconciler connects."
    : "";
  return `${title}\n\n${verdict}\n\n${table}${rollout}${problems}${settings}`;
}

function planSections(plan: Plan, options: MarkdownOptions, open: boolean): FoldableSection[] {
  const sections: FoldableSection[] = [];
  for (const batch of plan.batches) {
    if (batch.target.kind === "group") sections.push(groupSection(batch, options, open));
  }
  for (const device of plan.devices) {
    if (device.status === "changes") sections.push(deviceSection(plan, device, options, open));
    else if (device.status === "unreachable" || device.status === "error") {
      const why = device.error ? `${device.error.message} (\`${device.error.code}\`)` : "no reason given";
      sections.push({
        name: device.device,
        text: `- **${device.device}** — ${device.status}: ${tableCell(why)}`,
      });
    }
  }
  return sections;
}

function groupSection(batch: Batch, options: MarkdownOptions, open: boolean): FoldableSection {
  if (batch.target.kind !== "group") throw new Error("groupSection: not a group batch");
  const { group, members } = batch.target;
  const summary =
    `group <b>${escapeHtml(group)}</b> → ${plural(members.length, "switch", "switches")}, ` +
    `${plural(batch.commands.length, "command")} (wave ${batch.wave})`;
  const body = `Sent once to the group room; members: ${nameList(members, 600)}.\n\n${codeBlock(batch.commands.join("\n"), options)}`;
  return { name: `group ${group}`, text: details(summary, body, open) };
}

function deviceSection(
  plan: Plan,
  device: DevicePlan,
  options: MarkdownOptions,
  open: boolean,
): FoldableSection {
  const own = plan.batches.filter((b) => b.target.kind === "device" && b.target.device === device.device);
  const viaGroups = plan.batches
    .filter((b) => b.target.kind === "group" && b.target.members.includes(device.device))
    .map((b) => (b.target.kind === "group" ? b.target.group : ""));
  const ownCount = own.reduce((n, b) => n + b.commands.length, 0);
  const summary =
    `<b>${escapeHtml(device.device)}</b>: ${plural(device.commands.length, "command")}` +
    (viaGroups.length > 0 ? ` (${ownCount} own, rest via ${escapeHtml(viaGroups.join(", "))})` : "");
  const parts: string[] = [];
  for (const line of device.disruptions ?? []) parts.push(`⚠️ Disruptive: ${escapeHtml(line)}`);
  if (device.diff)
    parts.push(`Managed config, running → intended:\n\n${codeBlock(device.diff, options, "diff")}`);
  if (ownCount > 0) {
    const commands = own.flatMap((b) => b.commands).join("\n");
    parts.push(`Commands sent to this switch:\n\n${codeBlock(commands, options)}`);
  } else if (!device.diff) {
    parts.push(codeBlock(device.commands.join("\n"), options));
  }
  return { name: device.device, text: details(summary, parts.join("\n\n"), open) };
}

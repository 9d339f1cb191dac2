import type { Batch, Plan } from "../plan/types.ts";
import { plural } from "./markdown-blocks.ts";
import { problemSummary } from "./name-list.ts";
import { indent, type Style, shortSha } from "./style.ts";

/** Up to this many unplanned switches are listed one per line. */
const PROBLEMS_IN_FULL = 20;

/** The plan for a terminal: per wave, the group-room batches and the per-switch ones. Secrets redacted. */
export function renderPlanText(plan: Plan, style: Style, redact: (line: string) => string): string {
  const s = plan.summary;
  const out: string[] = [];
  out.push(
    style.bold(
      `Plan for fabric ${plan.fabric} at ${shortSha(plan.revision.sha)}${plan.revision.ref ? ` (${plan.revision.ref})` : ""}`,
    ),
  );
  out.push(
    `  ${plural(s.devices, "switch", "switches")}: ${style.yellow(`${s.changed} to change`)}, ${style.green(`${s.inSync} in sync`)}` +
      (s.unreachable ? `, ${style.red(`${s.unreachable} unreachable`)}` : "") +
      (s.errors ? `, ${style.red(`${s.errors} with errors`)}` : ""),
  );
  if (s.changed > 0) {
    out.push(
      `  ${s.batches} batches (${s.groupBatches} to group rooms) carry ${s.commands} command lines in ${s.messages} messages`,
    );
  }
  const framing = framingLine(plan);
  if (framing) out.push(style.dim(framing));
  if (plan.settingsChangeOnMerge?.length) {
    out.push(
      style.yellow(
        `  These settings change on merge: ${plan.settingsChangeOnMerge.join(", ")} (planned with the tracked branch's)`,
      ),
    );
  }
  for (const [index, wave] of plan.waves.entries()) {
    out.push("");
    out.push(style.bold(`Wave ${index}${index === 0 ? " (canary)" : ""}: ${wave.join(", ")}`));
    for (const batch of plan.batches.filter((b) => b.wave === index))
      out.push(...renderBatch(batch, style, redact));
  }
  const disruptive = plan.devices.filter((d) => d.disruptions?.length);
  if (disruptive.length > 0) {
    out.push("", style.bold(style.yellow("Disruptive changes:")));
    for (const d of disruptive) for (const line of d.disruptions!) out.push(`  ${d.device}: ${line}`);
  }
  const problems = plan.devices.filter((d) => d.status === "unreachable" || d.status === "error");
  if (problems.length > 0) {
    out.push("");
    out.push(style.bold(style.red(`Not planned: ${plural(problems.length, "switch", "switches")}`)));
    // A few in full; many grouped by cause (2,000 lines would bury the cause; --json has them all).
    if (problems.length <= PROBLEMS_IN_FULL)
      for (const d of problems) out.push(`  ${d.device}: ${d.error?.code}: ${d.error?.message}`);
    else
      out.push(
        `  ${problemSummary(
          problems.map((d) => ({
            device: d.device,
            kind: d.error?.code ?? d.status,
            reason: d.error?.message ?? d.status,
          })),
          { separator: "\n  " },
        )}`,
        "  (--json lists every switch with its error)",
      );
  }
  if (s.changed === 0 && problems.length === 0)
    out.push("", style.green("Nothing to do: every switch matches the desired state."));
  return `${out.join("\n")}\n`;
}

function renderBatch(batch: Batch, style: Style, redact: (line: string) => string): string[] {
  const target =
    batch.target.kind === "group"
      ? `${style.cyan(`group ${batch.target.group}`)} (${batch.target.members.join(", ")})`
      : style.cyan(batch.target.device);
  const lines = batch.commands.length === 1 ? "1 line" : `${batch.commands.length} lines`;
  return [`  ▸ ${target}: ${lines}`, ...indent(batch.commands.map(redact), "      ")];
}

/** Which CLI framing each switch is sent in, grouped: "multiline (detected): leaf1, leaf2; …". */
function framingLine(plan: Plan): string | undefined {
  const groups = new Map<string, string[]>();
  for (const d of plan.devices) {
    if (!d.framing) continue;
    const key = `${d.framing.mode} (${d.framing.source}${d.framing.note ? `, ${d.framing.note}` : ""})`;
    groups.set(key, [...(groups.get(key) ?? []), d.device]);
  }
  if (groups.size === 0) return undefined;
  return `  CLI framing: ${[...groups].map(([key, names]) => `${key}: ${names.join(", ")}`).join("; ")}`;
}

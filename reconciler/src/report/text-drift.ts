import { type DriftReport, heldSentence } from "../drift/types.ts";
import { indent, type Style, shortSha } from "./style.ts";
import { renderRolloutText } from "./text-rollout.ts";

/** Per switch: in sync, drifted (with the diff, since when, and the fix), or unreachable. */
export function renderDriftText(report: DriftReport, style: Style): string {
  const drifted = report.devices.filter((d) => d.status === "drifted");
  const out: string[] = [
    style.bold(
      `Drift check of ${report.fabric} against ${shortSha(report.revision.sha)} at ${report.checkedAt}`,
    ),
    `  ${drifted.length ? style.red(`${drifted.length} drifted`) : style.green("no drift")}, ` +
      `${report.devices.filter((d) => d.status === "in-sync").length} in sync, ` +
      `${report.devices.filter((d) => d.status === "unreachable").length} unreachable`,
  ];
  for (const device of report.devices) {
    if (device.status === "in-sync") continue;
    out.push("");
    if (device.status === "unreachable") {
      out.push(`${style.bold(device.device)}: ${style.red("unreachable")} ${device.error ?? ""}`);
      continue;
    }
    out.push(
      `${style.bold(device.device)}: ${style.red("drifted")}${device.since ? ` since ${device.since}` : ""}`,
    );
    if (device.error) out.push(`  ${device.error}`);
    if (device.diff) out.push(...indent(colourDiff(device.diff, style).split("\n"), "  "));
    if (device.remediation?.length) out.push("  remediation:", ...indent(device.remediation, "    "));
  }
  if (report.healed) out.push("", renderRolloutText(report.healed, style).trimEnd());
  if (report.healRefused) out.push("", `${style.yellow("not healed:")} ${report.healRefused.message}`);
  if (report.held) out.push("", `${style.yellow("note:")} ${heldSentence(report.held)}`);
  return `${out.join("\n")}\n`;
}

function colourDiff(diff: string, style: Style): string {
  return diff
    .trimEnd()
    .split("\n")
    .map((line) =>
      line.startsWith("+") && !line.startsWith("+++")
        ? style.green(line)
        : line.startsWith("-") && !line.startsWith("---")
          ? style.red(line)
          : line,
    )
    .join("\n");
}

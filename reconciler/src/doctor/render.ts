/** The doctor's report for a terminal (pure); `--json` prints the DoctorReport itself. */
import type { Style } from "../report/text.ts";
import type { CheckResult, DoctorReport, SettingsSource } from "./types.ts";

const MARK: Record<CheckResult["status"], string> = {
  pass: "pass",
  warn: "WARN",
  fail: "FAIL",
  skip: "skip",
};

export function renderDoctorText(report: DoctorReport, style: Style): string {
  const color = (r: CheckResult, text: string) =>
    r.status === "pass"
      ? style.green(text)
      : r.status === "fail"
        ? style.red(text)
        : r.status === "warn"
          ? style.yellow(text)
          : style.dim(text);
  const out = [
    style.bold(
      `Doctor for fabric ${report.fabric}: ${report.server.domain} at ${report.server.host}:${report.server.port}`,
    ),
  ];
  if (report.settingsFrom) out.push(...describeSettingsSource(report.settingsFrom, style));
  let last = "";
  for (const r of report.results) {
    if (r.check !== last) out.push(`  ${r.title}`);
    last = r.check;
    out.push(`    ${color(r, MARK[r.status])}  ${r.subject ? `${r.subject}: ` : ""}${r.detail}`);
    if (r.fix && r.status === "fail") out.push(style.dim(`          fix: ${r.fix}`));
    else if (r.fix && r.status === "warn") out.push(style.dim(`          ${r.fix}`));
  }
  const s = report.summary;
  out.push(
    "",
    `${report.ok ? style.green("No failures") : style.red(`${s.fail} failed`)}: ${s.pass} passed, ${s.warn} warnings, ${s.fail} failed, ${s.skip} skipped`,
  );
  return `${out.join("\n")}\n`;
}

/** Whose connection settings were checked, and what the checkout would change there on merge. */
function describeSettingsSource(from: SettingsSource, style: Style): string[] {
  if (from.kind === "directory")
    return [style.dim("  connection settings: the directory's own (no git repo)")];
  const branch = `${from.branch} at ${from.sha.slice(0, 7)}`;
  if (from.checkoutChanges.length === 0) return [style.dim(`  connection settings: those of ${branch}`)];
  return [
    style.yellow(
      `  this checkout changes ${from.checkoutChanges.join(", ")}; checked with the settings of ${branch} (the checkout's take effect on merge)`,
    ),
  ];
}

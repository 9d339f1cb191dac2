/** The doctor's report for a terminal (pure); `--json` prints the DoctorReport itself. */
import type { Style } from "../report/text.ts";
import type { CheckResult, DoctorReport } from "./types.ts";

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

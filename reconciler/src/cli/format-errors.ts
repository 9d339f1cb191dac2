import { posix } from "node:path";
import { createColors } from "picocolors";
import type { FabricError } from "../fabric/index.ts";

/** How a command prints input errors: for people, for programs, or as GitHub Actions annotations. */
export type ErrorFormat = "text" | "json" | "github";
export const errorFormats: ErrorFormat[] = ["text", "json", "github"];

export interface ErrorFormatOptions {
  /** Prepended to every file path, for a fabric repo that is a subfolder of the checked-out workspace. */
  pathPrefix?: string;
  color?: boolean;
}

/** An error as JSON consumers see it: flat, with the file path as the repo (or the prefix) names it. */
export interface ErrorRecord {
  code: string;
  message: string;
  hint: string;
  file: string;
  line: number;
  col: number;
  schemaPath?: string;
}

export function toRecord(error: FabricError, options: ErrorFormatOptions = {}): ErrorRecord {
  const { file, line, col } = error.position;
  return {
    code: error.code,
    message: error.message,
    hint: error.hint,
    file: withPrefix(file, options.pathPrefix),
    line,
    col,
    ...(error.schemaPath ? { schemaPath: error.schemaPath } : {}),
  };
}

export function withPrefix(file: string, prefix: string | undefined): string {
  return prefix ? posix.join(prefix.replaceAll("\\", "/"), file) : file;
}

/** `file:line:col: error[code]: message` then `  hint: …`, the compiler format editors link to. */
export function formatText(
  errors: FabricError[],
  warnings: FabricError[],
  options: ErrorFormatOptions = {},
): string {
  const c = createColors(options.color ?? false);
  const line = (error: FabricError, severity: "error" | "warning") => {
    const r = toRecord(error, options);
    const label =
      severity === "error" ? c.bold(c.red(`error[${r.code}]`)) : c.bold(c.yellow(`warning[${r.code}]`));
    const schema = r.schemaPath ? `\n  ${c.dim(`schema: ${r.schemaPath}`)}` : "";
    return `${c.bold(`${r.file}:${r.line}:${r.col}`)}: ${label}: ${r.message}\n  ${c.cyan("hint:")} ${r.hint}${schema}\n`;
  };
  return [...errors.map((e) => line(e, "error")), ...warnings.map((w) => line(w, "warning"))].join("");
}

/** "2 errors, 1 warning". */
export function countSummary(errors: number, warnings: number): string {
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
  return `${plural(errors, "error")}, ${plural(warnings, "warning")}`;
}

/**
 * GitHub Actions workflow commands (`::error file=…,line=…,col=…,title=…::message`), so that each error is
 * annotated on the line of the PR diff. Escaping as in @actions/core: % \r \n in data, and : , in properties.
 */
export function formatGithub(
  errors: FabricError[],
  warnings: FabricError[],
  options: ErrorFormatOptions = {},
): string {
  const command = (error: FabricError, severity: "error" | "warning") => {
    const r = toRecord(error, options);
    const properties = [
      `file=${escapeProperty(r.file)}`,
      `line=${r.line}`,
      `col=${r.col}`,
      `title=${escapeProperty(`fabric ${severity}: ${r.code}`)}`,
    ].join(",");
    return `::${severity} ${properties}::${escapeData(`${r.message}\nhint: ${r.hint}`)}\n`;
  };
  return [...errors.map((e) => command(e, "error")), ...warnings.map((w) => command(w, "warning"))].join("");
}

export function escapeData(text: string): string {
  return text.replaceAll("%", "%25").replaceAll("\r", "%0D").replaceAll("\n", "%0A");
}

export function escapeProperty(text: string): string {
  return escapeData(text).replaceAll(":", "%3A").replaceAll(",", "%2C");
}

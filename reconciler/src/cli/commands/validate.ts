import { stat } from "node:fs/promises";
import { resolve } from "node:path";
import { Option } from "commander";
import type { FabricError, ValidationResult } from "../../fabric/index.ts";
import type { CliContext, RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import {
  countSummary,
  type ErrorFormat,
  errorFormats,
  formatGithub,
  formatText,
  toRecord,
} from "../format-errors.ts";

export interface ErrorOutputOptions {
  json?: boolean;
  format?: ErrorFormat;
  pathPrefix?: string;
}

/** --format, --json and --path-prefix, shared by validate and render. */
export function errorOutputOptions(): Option[] {
  return [
    new Option("--format <format>", "output format").choices(errorFormats).default("text"),
    new Option("--json", "same as --format json"),
    new Option(
      "--path-prefix <dir>",
      "prefix for file paths in errors, when the fabric repo is a subfolder of the workspace (GitHub annotations)",
    ),
  ];
}

export function chosenFormat(options: ErrorOutputOptions): ErrorFormat {
  return options.json ? "json" : (options.format ?? "text");
}

/**
 * Loads the repo at `repo` (relative to the working directory); a path that is not a directory is an
 * input error like any other, with a place and a hint.
 */
export async function loadRepo(ctx: CliContext, repo: string): Promise<ValidationResult> {
  const dir = resolve(ctx.cwd, repo);
  const isDirectory = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDirectory) {
    const error: FabricError = {
      code: "repo-not-found",
      message: `${repo} is not a directory`,
      hint: "Pass the path of the desired-state repo (the folder that holds fabric.yaml), or run in it.",
      position: { file: ".", line: 1, col: 1 },
    };
    return { ok: false, errors: [error], warnings: [] };
  }
  const { loadFabric } = await import("../../fabric/index.ts");
  return loadFabric(dir);
}

/** Prints a failed validation in the chosen format: text to stderr unless `toStdout`, JSON and GitHub to stdout. */
export function printInvalid(
  ctx: CliContext,
  result: Extract<ValidationResult, { ok: false }>,
  options: ErrorOutputOptions,
  toStdout: boolean,
): void {
  const format = chosenFormat(options);
  const formatOptions = { pathPrefix: options.pathPrefix, color: ctx.isTTY };
  if (format === "json") {
    const json = {
      ok: false,
      errors: result.errors.map((e) => toRecord(e, formatOptions)),
      warnings: result.warnings.map((w) => toRecord(w, formatOptions)),
    };
    ctx.stdout(`${JSON.stringify(json, null, 2)}\n`);
  } else if (format === "github") {
    ctx.stdout(formatGithub(result.errors, result.warnings, formatOptions));
    ctx.stdout(`fabric is invalid: ${countSummary(result.errors.length, result.warnings.length)}\n`);
  } else {
    const write = toStdout ? ctx.stdout : ctx.stderr;
    write(formatText(result.errors, result.warnings, formatOptions));
    write(`fabric is invalid: ${countSummary(result.errors.length, result.warnings.length)}\n`);
  }
  ctx.exitCode = ExitCode.invalidInput;
}

export const registerValidate: RegisterCommand = (program, ctx) => {
  const command = program
    .command("validate")
    .description(
      "check the desired-state repo: YAML, schemas, references, variables, secrets and safety policy",
    )
    .argument("[repo]", "path of the desired-state repo", ".");
  for (const option of errorOutputOptions()) command.addOption(option);
  command.action(async (repo: string, options: ErrorOutputOptions) => {
    const result = await loadRepo(ctx, repo);
    if (!result.ok) return printInvalid(ctx, result, options, true);

    const { fabric, warnings } = result;
    const format = chosenFormat(options);
    const formatOptions = { pathPrefix: options.pathPrefix, color: ctx.isTTY };
    const summary = `fabric ${fabric.name} is valid: ${Object.keys(fabric.devices).length} devices, ${Object.keys(fabric.groups).length} groups, ${warnings.length} warning${warnings.length === 1 ? "" : "s"}\n`;
    if (format === "json") {
      const json = {
        ok: true,
        errors: [],
        warnings: warnings.map((w) => toRecord(w, formatOptions)),
        fabric: {
          name: fabric.name,
          devices: Object.keys(fabric.devices),
          groups: Object.keys(fabric.groups),
        },
      };
      ctx.stdout(`${JSON.stringify(json, null, 2)}\n`);
    } else if (format === "github") {
      ctx.stdout(formatGithub([], warnings, formatOptions) + summary);
    } else {
      ctx.stdout(formatText([], warnings, formatOptions) + summary);
    }
    ctx.exitCode = ExitCode.ok;
  });
};

import { readFile } from "node:fs/promises";
import type { ConfigTree } from "../../eos/index.ts";
import type { CliContext, RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";

interface DiffOptions {
  running: string;
  intended: string;
  scope?: string[];
  json?: boolean;
  showSecrets?: boolean;
}

/**
 * `reconciler diff`: the EOS remediation between two config files, offline. Exit 0 when there is nothing
 * to do, 2 when there are commands, 1 for an unreadable or invalid file (named with its line).
 */
export const registerDiff: RegisterCommand = (program, ctx) => {
  program
    .command("diff")
    .description("print the EOS commands that turn a running config into an intended one")
    .requiredOption("--running <file>", "running config (EOS `show running-config` text)")
    .requiredOption("--intended <file>", "intended config")
    .option(
      "--scope <section...>",
      'managed top-level sections, e.g. "interface" "router bgp" (default: every section in either file)',
    )
    .option("--json", 'print {"commands": [...]}')
    .option("--show-secrets", "print secrets instead of <redacted> (the exact script a switch would get)")
    .action(async (options: DiffOptions) => {
      const eos = await import("../../eos/index.ts");
      const { ApplyError, PredictionMismatchError, redactSecrets, remediate, scopeOfAll } = eos;
      const running = await readTree(options.running, ctx, eos);
      const intended = running && (await readTree(options.intended, ctx, eos));
      if (!running || !intended) {
        ctx.exitCode = ExitCode.invalidInput;
        return;
      }
      const scope = options.scope?.length
        ? { sections: options.scope, ignore: [] }
        : scopeOfAll(running, intended);
      let commands: string[];
      try {
        commands = remediate(running, intended, scope).commands;
      } catch (error) {
        if (!(error instanceof PredictionMismatchError || error instanceof ApplyError)) throw error;
        ctx.stderr(`reconciler diff: no safe remediation (${error.code}): ${redactSecrets(error.message)}\n`);
        ctx.exitCode = ExitCode.invalidInput;
        return;
      }
      const shown = options.showSecrets ? commands : commands.map(redactSecrets);
      if (options.json) ctx.stdout(`${JSON.stringify({ commands: shown })}\n`);
      else if (shown.length > 0) ctx.stdout(`${shown.join("\n")}\n`);
      ctx.exitCode = commands.length > 0 ? ExitCode.planHasChanges : ExitCode.ok;
    });
};

async function readTree(
  file: string,
  ctx: CliContext,
  { ConfigParseError, parseConfig }: typeof import("../../eos/index.ts"),
): Promise<ConfigTree | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    ctx.stderr(
      `reconciler diff: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}\n`,
    );
    return undefined;
  }
  try {
    return parseConfig(text);
  } catch (error) {
    if (!(error instanceof ConfigParseError)) throw error;
    ctx.stderr(`reconciler diff: ${file}:${error.line}: ${error.message.replace(/^line \d+: /, "")}\n`);
    return undefined;
  }
}

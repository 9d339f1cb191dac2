import { Command, CommanderError } from "commander";
import { commands } from "./commands/index.ts";
import { type CliContext, processContext, type RegisterCommand } from "./context.ts";
import { ExitCode } from "./exit-codes.ts";
import { redactingOutput } from "./redacting-output.ts";

const EXIT_CODES_HELP = `
Exit codes:
  0  ok / nothing to do
  1  invalid input or policy violation
  2  plan has changes (plan --detailed-exitcode, diff)
  3  drift found
  4  apply or verification failed (rolled back)
  5  cannot reach the XMPP server or a switch`;

export function buildProgram(given: CliContext, registrars: RegisterCommand[] = commands): Command {
  // Every command's output passes the process's one redaction step (its secrets' values removed).
  const ctx = redactingOutput(given);
  const program = new Command("reconciler")
    .description("Declarative GitOps reconciler for Arista EOS switches over XMPP")
    .version("0.1.0")
    .addHelpText("after", EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput({ writeOut: ctx.stdout, writeErr: ctx.stderr });
  for (const register of registrars) register(program, ctx);
  return program;
}

/** Runs the CLI and returns the exit code (the bin sets process.exitCode from it). */
export async function main(argv: string[], ctx: CliContext = processContext()): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(argv);
    return ctx.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through exitOverride with code 0; usage errors are invalid input.
      return error.exitCode === 0 ? ExitCode.ok : ExitCode.invalidInput;
    }
    ctx.stderr(`reconciler: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    return ExitCode.invalidInput;
  }
}

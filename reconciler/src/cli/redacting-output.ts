import { createRedactor, secretsOfEnvironment } from "../redaction/index.ts";
import type { CliContext } from "./context.ts";

/**
 * Puts the process's one redaction step between every command and its output: a redactor that knows
 * every secret of the environment (and of the files `<NAME>_FILE` names), to which commands add what
 * they read later (a `file:` password). stdout and stderr pass it, and with them the service's JSON
 * logs. Idempotent: a context that has a redactor is left as it is.
 */
export function redactingOutput(ctx: CliContext): CliContext {
  if (ctx.redactor) return ctx;
  const redactor = createRedactor(secretsOfEnvironment(ctx.env));
  const { stdout, stderr } = ctx;
  ctx.redactor = redactor;
  // Values only: config text in reports is EOS-redacted where it is rendered, and `diff --show-secrets`
  // shows a script's own secrets on purpose; no process secret passes either way.
  ctx.stdout = (text) => stdout(redactor.redactValues(text));
  ctx.stderr = (text) => stderr(redactor.redactValues(text));
  return ctx;
}

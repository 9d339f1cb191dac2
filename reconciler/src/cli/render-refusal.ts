import type { RunRefusal } from "../reconcile/index.ts";
import type { CliContext } from "./context.ts";

/** A run that could not start: the reason, each input error with its place, and the exit code. */
export function reportRefusal(ctx: CliContext, refusal: RunRefusal, json: boolean | undefined): void {
  if (json) {
    ctx.stdout(`${JSON.stringify(refusal, null, 2)}\n`);
  } else {
    ctx.stderr(`reconciler: ${refusal.message}\n`);
    for (const e of refusal.errors ?? []) {
      ctx.stderr(
        `${e.position.file}:${e.position.line}:${e.position.col}: error[${e.code}]: ${e.message}\n  hint: ${e.hint}\n`,
      );
    }
  }
  ctx.exitCode = refusal.exitCode;
}

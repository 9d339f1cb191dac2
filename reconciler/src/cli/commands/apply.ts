import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";
import type { Plan } from "../../plan/index.ts";
import type { RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { addFabricOptions, type FabricCommandOptions } from "../fabric-options.ts";
import { operatorOverride, overrideFreezeHelp, overrideHoldHelp } from "../override-flags.ts";
import { reportRefusal } from "../render-refusal.ts";

interface ApplyOptions extends FabricCommandOptions {
  plan?: string;
  yes?: boolean;
  overrideFreeze?: string;
  overrideHold?: string;
}

export const registerApply: RegisterCommand = (program, ctx) => {
  addFabricOptions(
    program
      .command("apply")
      .description(
        "make the switches match the desired state: canary first, config sessions, commit timer, verify, confirm; exit 4 when refused (a freeze window, a PR holding the fabric)",
      ),
  )
    .option("--plan <file>", "apply a plan saved with `plan --out` (refused if a switch changed since)")
    .option("--yes", "do not ask for confirmation")
    .option("--override-freeze <reason>", overrideFreezeHelp)
    .option("--override-hold <reason>", overrideHoldHelp)
    .action(async (repo: string, options: ApplyOptions) => {
      const { redactSecrets } = await import("../../eos/index.ts");
      const { renderPlanText, renderRolloutText, styleFor } = await import("../../report/text.ts");
      const { heldNote } = await import("../../reconcile/hold-gate.ts");
      const style = styleFor(ctx.isTTY);
      let saved: Plan | undefined;
      if (options.plan) {
        try {
          saved = JSON.parse(await readFile(options.plan, "utf8")) as Plan;
          if (saved.kind !== "plan" || saved.version !== 1)
            throw new Error("not a plan saved by `reconciler plan --out`");
        } catch (error) {
          ctx.stderr(
            `reconciler: cannot use ${options.plan}: ${(error as Error).message}. Save one with \`reconciler plan --out FILE\`\n`,
          );
          ctx.exitCode = ExitCode.invalidInput;
          return;
        }
      }
      // A saved plan names the repo it was made from; an explicit REPO still wins.
      const source = repo === "." && saved?.revision.source ? saved.revision.source : repo;
      const { composeRunner } = await import("../compose-runner.ts");
      const { runner, progress } = composeRunner(source, options, ctx, style);
      const request = {
        trigger: "cli" as const,
        rev: options.rev,
        allowUnreachable: options.allowUnreachable,
        overrideFreeze: operatorOverride(options.overrideFreeze, ctx),
        overrideHold: operatorOverride(options.overrideHold, ctx),
      };
      if (!options.yes) {
        if (!ctx.isTTY) {
          ctx.stderr(
            "reconciler: apply changes switches; pass --yes to confirm when not running on a terminal\n",
          );
          ctx.exitCode = ExitCode.invalidInput;
          return;
        }
        if (!saved) {
          const planned = await runner.plan(request);
          progress.done();
          if (!planned.ok) return reportRefusal(ctx, planned, options.json);
          saved = planned.plan;
          // Said before asking: the apply is refused unless --override-hold was given.
          if (planned.held) ctx.stderr(`${style.yellow("note:")} ${heldNote(planned.held)}\n`);
        }
        ctx.stdout(renderPlanText(saved, style, redactSecrets));
        if (saved.summary.changed === 0) return;
        const rl = createInterface({ input: process.stdin, output: process.stderr });
        const answer = await rl.question("Apply this plan? [y/N] ");
        rl.close();
        if (!/^y(es)?$/i.test(answer.trim())) {
          ctx.stderr("Nothing applied.\n");
          return;
        }
      }

      const outcome = saved ? await runner.applyPlan(saved, request) : await runner.apply(request);
      progress.done();
      if (!outcome.ok) return reportRefusal(ctx, outcome, options.json);
      if (options.json) ctx.stdout(`${JSON.stringify(outcome.result, null, 2)}\n`);
      else {
        if (options.yes && !saved) ctx.stdout(renderPlanText(outcome.plan, style, redactSecrets));
        ctx.stdout(renderRolloutText(outcome.result, style));
      }
      // What the switches did is printed above; a journal that could not record it is a failure too.
      const journalError = outcome.journalError ?? outcome.result.journalError;
      if (journalError) ctx.stderr(`reconciler: ${journalError}\n`);
      if (outcome.result.outcome === "failed" || journalError) ctx.exitCode = ExitCode.applyFailed;
      else if (outcome.plan.summary.unreachable + outcome.plan.summary.errors > 0)
        ctx.exitCode = ExitCode.unreachable;
    });
};

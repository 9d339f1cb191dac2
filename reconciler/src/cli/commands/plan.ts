import { writeFile } from "node:fs/promises";
import { Option } from "commander";
import type { RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { addFabricOptions, type FabricCommandOptions } from "../fabric-options.ts";
import { reportRefusal } from "../render-refusal.ts";

interface PlanOptions extends FabricCommandOptions {
  markdown?: boolean;
  out?: string;
  detailedExitcode?: boolean;
  offline?: string;
}

export const registerPlan: RegisterCommand = (program, ctx) => {
  addFabricOptions(
    program
      .command("plan")
      .description(
        "read the desired state and the switches' running configs, and show what apply would change",
      ),
  )
    .addOption(
      new Option("--markdown", "print the plan as markdown (what a PR comment shows)").conflicts("json"),
    )
    .option("--out <file>", "save the plan as JSON, for `apply --plan FILE`")
    .option("--detailed-exitcode", "exit 2 when the plan has changes, 0 when there is nothing to do")
    .option(
      "--offline <dir>",
      "plan against recorded running configs (<dir>/<device>.cfg) instead of live switches",
    )
    .action(async (repo: string, options: PlanOptions) => {
      const { composeRunner } = await import("../compose-runner.ts");
      const { redactSecrets } = await import("../../eos/index.ts");
      const { planHasChanges } = await import("../../plan/index.ts");
      const { renderPlanMarkdown } = await import("../../report/markdown.ts");
      const { renderPlanText, styleFor } = await import("../../report/text.ts");
      const { heldNote } = await import("../../reconcile/hold-gate.ts");
      const style = styleFor(ctx.isTTY);
      const { runner, progress } = composeRunner(repo, options, ctx, style);
      const outcome = await runner.plan({
        trigger: "cli",
        rev: options.rev,
        allowUnreachable: options.allowUnreachable,
      });
      progress.done();
      if (!outcome.ok) return reportRefusal(ctx, outcome, options.json);
      if (outcome.journalError) ctx.stderr(`reconciler: warning: ${outcome.journalError}\n`);
      const { plan, held } = outcome;
      if (options.out) await writeFile(options.out, `${JSON.stringify(plan, null, 2)}\n`, { mode: 0o600 });
      if (options.json) {
        const shown = redactPlan(plan, redactSecrets);
        ctx.stdout(`${JSON.stringify(held ? { ...shown, held } : shown, null, 2)}\n`);
      } else if (options.markdown) {
        const note = held ? `\n> [!NOTE]\n> ${heldNote(held)}\n` : "";
        ctx.stdout(`${renderPlanMarkdown(plan, { redact: redactSecrets })}\n${note}`);
      } else {
        ctx.stdout(renderPlanText(plan, style, redactSecrets));
        if (held) ctx.stdout(`\n${style.yellow("note:")} ${heldNote(held)}\n`);
      }

      if (plan.summary.unreachable > 0 && !options.allowUnreachable) {
        ctx.stderr(
          `reconciler: ${plan.summary.unreachable} ${plan.summary.unreachable === 1 ? "switch" : "switches"} unreachable; the plan is incomplete (use --allow-unreachable to accept)\n`,
        );
        ctx.exitCode = ExitCode.unreachable;
      } else if (plan.summary.errors > 0) ctx.exitCode = ExitCode.invalidInput;
      else if (options.detailedExitcode && planHasChanges(plan)) ctx.exitCode = ExitCode.planHasChanges;
    });
};

/** `--json` is a report too: secrets redacted. The saved plan (`--out`) keeps them, as apply sends it. */
export function redactPlan<
  T extends {
    devices: { commands: string[]; predicted?: string; diff?: string }[];
    batches: { commands: string[] }[];
  },
>(plan: T, redactSecrets: (text: string) => string): T {
  return {
    ...plan,
    devices: plan.devices.map((d) => ({
      ...d,
      commands: d.commands.map(redactSecrets),
      predicted: d.predicted === undefined ? undefined : redactSecrets(d.predicted),
    })),
    batches: plan.batches.map((b) => ({ ...b, commands: b.commands.map(redactSecrets) })),
  };
}

import { Option } from "commander";
import type { RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { addFabricOptions, type FabricCommandOptions } from "../fabric-options.ts";
import { operatorOverride, overrideFreezeHelp, overrideHoldHelp } from "../override-flags.ts";
import { reportRefusal } from "../render-refusal.ts";

interface DriftOptions extends FabricCommandOptions {
  heal?: boolean;
  markdown?: boolean;
  offline?: string;
  overrideFreeze?: string;
  overrideHold?: string;
  propose?: boolean;
}

export const registerDrift: RegisterCommand = (program, ctx) => {
  addFabricOptions(
    program
      .command("drift")
      .description("compare the switches' live config with git in the managed scope; exit 3 on drift"),
  )
    .option(
      "--heal",
      "apply the remediation through the normal rollout, where the fabric's drift.selfHeal allows it (exit 4 when refused: a freeze window, a PR holding the fabric)",
    )
    .addOption(new Option("--markdown", "print the report as markdown").conflicts("json"))
    .option("--offline <dir>", "check recorded running configs (<dir>/<device>.cfg) instead of live switches")
    .option("--override-freeze <reason>", `with --heal: ${overrideFreezeHelp}`)
    .option("--override-hold <reason>", `with --heal: ${overrideHoldHelp}`)
    .addOption(
      new Option(
        "--propose",
        "push a reconciler/drift-<run> branch that adopts the live config into git (and open its PR with GITHUB_TOKEN + GITHUB_REPOSITORY)",
      ).conflicts("heal"),
    )
    .action(async (repo: string, options: DriftOptions) => {
      const { composeRunner } = await import("../compose-runner.ts");
      const { redactSecrets } = await import("../../eos/index.ts");
      const { renderDriftMarkdown } = await import("../../report/markdown.ts");
      const { renderDriftText, styleFor } = await import("../../report/text.ts");
      const style = styleFor(ctx.isTTY);
      const { runner, progress } = composeRunner(repo, options, ctx, style);
      const outcome = await runner.drift({
        trigger: "cli",
        rev: options.rev,
        heal: options.heal,
        overrideFreeze: operatorOverride(options.overrideFreeze, ctx),
        overrideHold: operatorOverride(options.overrideHold, ctx),
        ...(options.propose ? { propose: true } : {}),
      });
      progress.done();
      if (!outcome.ok) return reportRefusal(ctx, outcome, options.json);
      if (outcome.journalError) ctx.stderr(`reconciler: warning: ${outcome.journalError}\n`);
      const { report } = outcome;
      if (options.json) ctx.stdout(`${JSON.stringify(report, null, 2)}\n`);
      else if (options.markdown) ctx.stdout(`${renderDriftMarkdown(report, { redact: redactSecrets })}\n`);
      else ctx.stdout(renderDriftText(report, style));

      const drifted = report.devices.some((d) => d.status === "drifted");
      if (options.propose && drifted) {
        const { proposeDrift } = await import("../propose-drift.ts");
        await proposeDrift(repo ?? ".", report, outcome.adoption, ctx, options.branch ?? "main");
      }
      if (report.healed) {
        ctx.exitCode = report.healed.outcome === "failed" ? ExitCode.applyFailed : ExitCode.ok;
      } else if (report.healRefused) {
        ctx.stderr(`reconciler: not healed: ${report.healRefused.message}\n`);
        ctx.exitCode = ExitCode.applyFailed;
      } else if (drifted) {
        if (options.heal) ctx.stderr("reconciler: not healed: the fabric's drift.selfHeal is false\n");
        ctx.exitCode = ExitCode.driftFound;
      } else if (report.devices.some((d) => d.status === "unreachable")) ctx.exitCode = ExitCode.unreachable;
    });
};

import type { Command } from "commander";
import type { FabricError } from "../../fabric/index.ts";
import type { RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { formatText, toRecord } from "../format-errors.ts";
import {
  chosenFormat,
  type ErrorOutputOptions,
  errorOutputOptions,
  loadRepo,
  printInvalid,
} from "./validate.ts";

interface RenderOptions extends ErrorOutputOptions {
  device?: string;
}

export const registerRender: RegisterCommand = (program, ctx) => {
  const command: Command = program
    .command("render")
    .description("print the intended config of one switch, or of every switch, as EOS running-config text")
    .argument("[repo]", "path of the desired-state repo", ".")
    .option("--device <name>", "only this switch (its file name in devices/)");
  for (const option of errorOutputOptions()) command.addOption(option);
  command.action(async (repo: string, options: RenderOptions) => {
    const result = await loadRepo(ctx, repo);
    if (!result.ok) return printInvalid(ctx, result, options, false);
    const { fabric, warnings } = result;
    const formatOptions = { pathPrefix: options.pathPrefix, color: ctx.isTTY };

    const names = Object.keys(fabric.devices).sort();
    if (options.device !== undefined && !fabric.devices[options.device]) {
      const error: FabricError = {
        code: "unknown-device",
        message: `no device "${options.device}" in fabric ${fabric.name}`,
        hint: `Name one of: ${names.join(", ")} (a file in devices/).`,
        position: { file: `devices/${options.device}.yaml`, line: 1, col: 1 },
      };
      return printInvalid(ctx, { ok: false, errors: [error], warnings: [] }, options, false);
    }
    const { renderIntended } = await import("../../fabric/index.ts");
    const selected = options.device === undefined ? names : [options.device];
    const rendered = selected.map((name) => renderIntended(fabric, name));

    if (chosenFormat(options) === "json") {
      ctx.stdout(
        `${JSON.stringify({ ok: true, devices: rendered, warnings: warnings.map((w) => toRecord(w, formatOptions)) }, null, 2)}\n`,
      );
    } else {
      // Warnings go to stderr, so that stdout is config text only.
      if (warnings.length > 0) ctx.stderr(formatText([], warnings, formatOptions));
      const headed = options.device === undefined;
      ctx.stdout(
        rendered
          .map(
            (intended) =>
              (headed ? `==== ${intended.device} (devices/${intended.device}.yaml) ====\n` : "") +
              intended.text,
          )
          .join("\n"),
      );
    }
    ctx.exitCode = ExitCode.ok;
  });
};

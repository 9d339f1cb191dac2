import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { addXmppOptions } from "../fabric-options.ts";
import type { TrustedTransportOptions } from "../trusted-transport.ts";
import { loadRepo, printInvalid } from "./validate.ts";

interface RecordOptions extends TrustedTransportOptions {
  out: string;
  allowUnreachable?: boolean;
}

/**
 * `show running-config` of every switch into `<out>/<device>.cfg`, for `plan --offline` and the CI
 * gate. Secrets are redacted: recordings are meant to be committed, and git never holds a secret.
 */
export const registerRecord: RegisterCommand = (program, ctx) => {
  addXmppOptions(
    program
      .command("record")
      .description("save every switch's running config (secrets redacted) for offline plans and the CI gate")
      .argument("[repo]", "desired-state repo (a local path)", ".")
      .option("--out <dir>", "where to write <device>.cfg", "recorded")
      .option("--branch <branch>", "tracked branch: its head's xmpp settings are the ones used", "main")
      .option(
        "--allow-unreachable",
        "write what could be read and exit 0 when some switches cannot be reached",
      ),
  ).action(async (repo: string, options: RecordOptions) => {
    const loaded = await loadRepo(ctx, repo);
    if (!loaded.ok) {
      printInvalid(ctx, loaded, {}, false);
      ctx.exitCode = ExitCode.invalidInput;
      return;
    }
    const { fabric } = loaded;
    const { redactSecrets } = await import("../../eos/index.ts");
    const { liveRunningConfigs } = await import("../../rollout/index.ts");
    // The switches come from the checkout; where to connect only from the tracked branch head.
    const { openTrustedTransport } = await import("../trusted-transport.ts");
    const opened = await openTrustedTransport(repo, fabric, options, ctx);
    if (!opened.ok) {
      ctx.stderr(`reconciler record: ${opened.message}\n`);
      ctx.exitCode = opened.exitCode;
      return;
    }
    const { transport } = opened;
    try {
      const devices = Object.keys(fabric.devices).sort();
      const observed = await liveRunningConfigs(transport, {
        timeoutMs: fabric.rollout.verifyTimeoutMs,
        maxParallel: fabric.rollout.maxParallel * 4,
      }).observe(devices);
      const out = resolve(ctx.cwd, options.out);
      await mkdir(out, { recursive: true });
      let missing = 0;
      for (const device of devices) {
        const observation = observed.get(device)!;
        if (!observation.ok) {
          missing++;
          ctx.stderr(`${device}: ${observation.code}: ${observation.message}\n`);
          continue;
        }
        await writeFile(join(out, `${device}.cfg`), redactSecrets(observation.text));
        ctx.stdout(`${device}: ${join(options.out, `${device}.cfg`)}\n`);
      }
      if (missing > 0 && !options.allowUnreachable) ctx.exitCode = ExitCode.unreachable;
    } finally {
      await opened.close();
    }
  });
};

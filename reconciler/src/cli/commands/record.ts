import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Transport } from "../../transport/index.ts";
import type { RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { addXmppOptions, secretOptions, transportFlags, type XmppOptions } from "../fabric-options.ts";
import { loadRepo, printInvalid } from "./validate.ts";

interface RecordOptions extends XmppOptions {
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
    const { openFabricTransport } = await import("../../transport/index.ts");
    let transport: Transport;
    try {
      transport = await openFabricTransport(fabric, {
        env: ctx.env,
        flags: transportFlags(options),
        ...secretOptions(options, ctx),
        repoDir: resolve(ctx.cwd, repo),
        warn: (message) => ctx.stderr(`warning: ${message}\n`),
      });
    } catch (error) {
      ctx.stderr(`reconciler record: cannot reach the XMPP server: ${(error as Error).message}\n`);
      ctx.exitCode = ExitCode.unreachable;
      return;
    }
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
      await transport.close();
    }
  });
};

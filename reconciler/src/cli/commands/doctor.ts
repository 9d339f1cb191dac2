import { resolve } from "node:path";
import type { CliContext, RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { addXmppOptions, secretsDirOf, transportFlags, type XmppOptions } from "../fabric-options.ts";
import { loadRepo, printInvalid } from "./validate.ts";

interface DoctorCliOptions extends XmppOptions {
  json?: boolean;
  stateDir?: string;
  probeJid?: string;
  timeout?: string;
}

/** Exit 0 when no check failed (warnings allowed), 1 on any failure or unusable input. */
export async function runDoctorCommand(
  repo: string,
  options: DoctorCliOptions,
  ctx: CliContext,
): Promise<number> {
  const loaded = await loadRepo(ctx, repo);
  if (!loaded.ok) {
    printInvalid(ctx, loaded, {}, false);
    return ExitCode.invalidInput;
  }
  const fabric = loaded.fabric;
  const { resolveSecret } = await import("../../fabric/index.ts");
  const { resolveTransportSettings } = await import("../../transport/index.ts");
  const { renderDoctorText, runDoctor } = await import("../../doctor/index.ts");
  const { stateRoot } = await import("../compose-runner.ts");
  const { styleFor } = await import("../../report/text.ts");
  const repoDir = resolve(ctx.cwd, repo);
  const secretsDir = secretsDirOf(options, ctx);
  const resolved = resolveTransportSettings(fabric.xmpp, ctx.env, transportFlags(options), {
    readSecret: (ref) =>
      resolveSecret(ref, { ...ctx.env }, { secretsDir, onRead: (v) => ctx.redactor?.add(v) }),
    repoDir,
    resource: `doctor-${process.pid}`,
  });
  if (!resolved.ok) {
    for (const e of resolved.errors) ctx.stderr(`reconciler doctor: ${e.message}: ${e.hint}\n`);
    return ExitCode.invalidInput;
  }
  let stranger: { jid: string; password: string } | undefined;
  if (options.probeJid) {
    const password = ctx.env.RECONCILER_DOCTOR_PROBE_PASSWORD;
    if (!/^[^@/\s]+@[^@/\s]+$/.test(options.probeJid) || !password) {
      ctx.stderr(
        "reconciler doctor: --probe-jid needs a bare JID (user@domain) of an account the switches do not authorize, and its password in RECONCILER_DOCTOR_PROBE_PASSWORD\n",
      );
      return ExitCode.invalidInput;
    }
    ctx.redactor?.add(password);
    stranger = { jid: options.probeJid, password };
  }
  const report = await runDoctor({
    fabric,
    settings: resolved.settings,
    env: ctx.env,
    stateDir: resolve(ctx.cwd, stateRoot(options, ctx)),
    secretsDir,
    repoDir,
    stranger,
    timeoutMs: options.timeout === undefined ? undefined : Number(options.timeout),
  });
  ctx.stdout(
    options.json ? `${JSON.stringify(report, null, 2)}\n` : renderDoctorText(report, styleFor(ctx.isTTY)),
  );
  return report.ok ? ExitCode.ok : ExitCode.invalidInput;
}

export const registerDoctor: RegisterCommand = (program, ctx) => {
  const command = program
    .command("doctor")
    .description(
      "check a live deployment's posture: TLS and SASL, certificate, registration, rooms, switches, this host's secrets",
    )
    .argument("[repo]", "desired-state repo (its xmpp settings, groups and switches)", ".")
    .option("--json", "print the report as JSON")
    .option("--state-dir <dir>", "the reconciler's state dir to check (env RECONCILER_STATE_DIR)")
    .option(
      "--probe-jid <jid>",
      "a second test account the switches must refuse (password in RECONCILER_DOCTOR_PROBE_PASSWORD)",
    )
    .option("--timeout <ms>", "per answer (default 5000)");
  addXmppOptions(command).action(async (repo: string, options: DoctorCliOptions) => {
    ctx.exitCode = await runDoctorCommand(repo, options, ctx);
  });
};

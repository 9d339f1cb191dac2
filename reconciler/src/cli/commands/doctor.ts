import { resolve } from "node:path";
import type { Fabric } from "../../fabric/index.ts";
import type { CliContext, RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { addXmppOptions, secretsDirOf, transportFlags, type XmppOptions } from "../fabric-options.ts";
import type { CheckoutTrust, TrustedSettingsOptions } from "../trusted-settings.ts";
import { loadRepo, printInvalid } from "./validate.ts";

interface DoctorCliOptions extends XmppOptions, TrustedSettingsOptions {
  json?: boolean;
  stateDir?: string;
  probeJid?: string;
  timeout?: string;
}

/**
 * Exit 0 when no check failed (warnings allowed), 1 on any failure or unusable input. The checkout's
 * groups and switches are checked, over the tracked branch head's `xmpp` block (trusted-settings.ts):
 * run on a PR's checkout, the doctor never takes the reconciler's login to a server the PR names.
 */
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
  const { readTrustedSettings } = await import("../trusted-settings.ts");
  const trust = await readTrustedSettings(repo, loaded.fabric, options, ctx);
  if (!trust.ok) {
    ctx.stderr(`reconciler doctor: ${trust.message}\n`);
    return trust.exitCode;
  }
  try {
    // The whole xmpp block is the tracked branch's, as it is applied: the switches' expected server and
    // privilege too (a checkout's new ones are not on the switches before merge, and plan shows them).
    const fabric = { ...loaded.fabric, xmpp: trust.settings.xmpp };
    return await doctorWith({ repo, fabric, trust, stranger }, options, ctx);
  } finally {
    // The trusted export holds the CA file the doctor's connections read.
    await trust.settings.dispose();
  }
}

interface DoctorTarget {
  repo: string;
  /** The checkout's groups and switches with the trusted `xmpp` block. */
  fabric: Fabric;
  trust: Extract<CheckoutTrust, { ok: true }>;
  stranger?: { jid: string; password: string };
}

async function doctorWith(
  { repo, fabric, trust, stranger }: DoctorTarget,
  options: DoctorCliOptions,
  ctx: CliContext,
): Promise<number> {
  const { resolveSecret } = await import("../../fabric/index.ts");
  const { resolveTransportSettings } = await import("../../transport/index.ts");
  const { renderDoctorText, runDoctor } = await import("../../doctor/index.ts");
  const { stateRoot } = await import("../compose-runner.ts");
  const { styleFor } = await import("../../report/text.ts");
  const secretsDir = secretsDirOf(options, ctx);
  const resolved = resolveTransportSettings(fabric.xmpp, ctx.env, transportFlags(options), {
    readSecret: (ref) =>
      resolveSecret(ref, { ...ctx.env }, { secretsDir, onRead: (v) => ctx.redactor?.add(v) }),
    repoDir: trust.settings.dir,
    resource: `doctor-${process.pid}`,
  });
  if (!resolved.ok) {
    for (const e of resolved.errors) ctx.stderr(`reconciler doctor: ${e.message}: ${e.hint}\n`);
    return ExitCode.invalidInput;
  }
  const report = await runDoctor({
    fabric,
    settings: resolved.settings,
    settingsFrom: trust.isOwnTrustedState
      ? { kind: "directory" }
      : {
          kind: "tracked-branch",
          branch: trust.branch,
          sha: trust.settings.sha,
          checkoutChanges: trust.settings.changes,
        },
    env: ctx.env,
    stateDir: resolve(ctx.cwd, stateRoot(options, ctx)),
    secretsDir,
    // Only for the mode of a repo-relative client key: the checkout's file is the one an operator can
    // chmod (the trusted export is a temporary copy); its path is the trusted block's.
    repoDir: resolve(ctx.cwd, repo),
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
    .argument("[repo]", "desired-state repo: its groups and switches are checked", ".")
    .option("--branch <branch>", "tracked branch: its head's xmpp settings are the ones checked", "main")
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

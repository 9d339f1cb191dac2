import { randomBytes } from "node:crypto";
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import type { Lab } from "../../../sim/lab.ts";
import { isXmppServerKind, type XmppServerKind } from "../../../sim/xmpp-server/types.ts";
import type { DoctorReport } from "../../doctor/index.ts";
import type { Fabric } from "../../fabric/index.ts";
import type { CliContext, RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { packageRoot } from "../package-root.ts";

const EXAMPLE = join(packageRoot(), "fabric-repo-example");

/**
 * What the demo's switches run before the first apply: each differs from git the way real switches
 * do. All leaves still use a retired NTP server (one change for the whole leaf room), spine1 has a
 * description edited by hand, spine2 logs to a host that is not in git, leaf3 lacks VLAN 20.
 */
export function demoRunningConfig(device: string, intended: string): string {
  let text = intended;
  if (device.startsWith("leaf"))
    text = text.replace("ntp server 10.250.0.11 iburst", "ntp server 10.250.0.99 iburst");
  if (device === "spine1") text = text.replace(/( {3}description )[^\n]*/, "$1temporary patch, ask Bob");
  if (device === "spine2")
    text = text.replace("logging host 10.250.0.20", "logging host 10.250.0.20\nlogging host 10.250.9.9");
  if (device === "leaf3") text = text.replace(/vlan 20\n {3}name STORAGE\n/, "");
  return text;
}

export const registerDemo: RegisterCommand = (program, ctx) => {
  program
    .command("demo")
    .description(
      "the whole loop on the example fabric: local XMPP server, simulated switches, plan, apply, verify, drift",
    )
    .option("--repo <dir>", "desired-state repo to copy for the demo", EXAMPLE)
    .option("--server <name>", "the throw-away XMPP server: prosody or ejabberd", "prosody")
    .action(async (options: { repo: string; server: string }) => {
      if (!isXmppServerKind(options.server)) {
        ctx.stderr(`demo: --server ${options.server}: use prosody or ejabberd\n`);
        ctx.exitCode = 1;
        return;
      }
      ctx.exitCode = await runDemo(resolve(ctx.cwd, options.repo), options.server, ctx);
    });
};

async function runDemo(example: string, server: XmppServerKind, ctx: CliContext): Promise<number> {
  const { simpleGit } = await import("simple-git");
  const { startLab } = await import("../../../sim/lab.ts");
  const { redactSecrets } = await import("../../eos/index.ts");
  const { loadFabric } = await import("../../fabric/index.ts");
  const { isProcessAlive, runHistory } = await import("../../journal/index.ts");
  const { renderDriftText, renderHistoryText, renderPlanText, renderRolloutText, styleFor } = await import(
    "../../report/text.ts"
  );
  const { composeRunner, stateFor } = await import("../compose-runner.ts");
  const { renderDoctorText } = await import("../../doctor/index.ts");
  const style = styleFor(ctx.isTTY);
  const started = Date.now();
  const step = (text: string) =>
    ctx.stdout(
      `\n${style.bold(style.cyan(`▶ ${text}`))}  ${style.dim(`(${((Date.now() - started) / 1000).toFixed(1)} s)`)}\n`,
    );
  const work = await mkdtemp(join(tmpdir(), "reconciler-demo-"));
  let lab: Lab | undefined;
  try {
    step("Desired state: the example fabric, committed to a fresh git repo");
    const repo = join(work, "fabric");
    await cp(example, repo, { recursive: true });
    const git = simpleGit(repo);
    await git.init(["--initial-branch=main", "--quiet"]);
    await git.addConfig("user.email", "demo@fabric.invalid").addConfig("user.name", "Demo");
    await git.add(".").commit("Import the example fabric");
    const loaded = await loadFabric(repo);
    if (!loaded.ok) {
      ctx.stderr(`demo: the example fabric is invalid: ${loaded.errors.map((e) => e.message).join("; ")}\n`);
      return ExitCode.invalidInput;
    }
    const fabric = loaded.fabric;
    ctx.stdout(
      `  ${repo}: fabric ${fabric.name}, ${Object.keys(fabric.devices).length} switches, groups ${Object.keys(fabric.groups).join(", ")}\n`,
    );

    step(
      `Lab: a throw-away ${server} (TLS, own CA, MUC rooms) and simulated EOS switches whose configs differ from git`,
    );
    // spine2 takes one command per message (the other CLI framing): `cliMode: auto` finds out by itself
    lab = await startLab({
      fabric,
      running: demoRunningConfig,
      server,
      cliMode: (device) => (device === "spine2" ? "per-sender" : "multiline"),
      // the rooms as the README sets them up: members-only, real JIDs, no history, the switches as members
      hardenRooms: {},
    });
    // an account the switches do not authorize, for the doctor to see them refuse it
    const intruder = { user: "intruder", password: randomBytes(12).toString("base64url") };
    await lab.server.register(intruder.user, intruder.password);
    ctx.stdout(`  ${server} on ${lab.server.host}:${lab.server.port}, CA ${lab.server.caFile}\n`);
    for (const sw of lab.fleet.switches.values())
      ctx.stdout(`  ${sw.name} online as ${sw.jid}, in rooms ${sw.rooms().join(", ")}\n`);

    const demoCtx: CliContext = { ...ctx, env: { ...ctx.env, ...lab.env } };
    const options = { stateDir: join(work, "state") };
    const { runner, progress } = composeRunner(repo, options, demoCtx, style);

    step("reconciler plan: read every running config over XMPP and compute the per-group plan");
    const planned = await runner.plan({ trigger: "cli" });
    progress.done();
    if (!planned.ok) return fail(ctx, planned.message, planned.exitCode);
    ctx.stdout(renderPlanText(planned.plan, style, redactSecrets));

    step("reconciler apply: spine canary first, config sessions, commit timer, verify, confirm");
    const applied = await runner.applyPlan(planned.plan, { trigger: "cli" });
    progress.done();
    if (!applied.ok) return fail(ctx, applied.message, applied.exitCode);
    ctx.stdout(renderRolloutText(applied.result, style));
    if (applied.result.outcome !== "succeeded") return ExitCode.applyFailed;

    step("reconciler plan again: the switches now match git");
    const again = await runner.plan({ trigger: "cli" });
    progress.done();
    if (!again.ok) return fail(ctx, again.message, again.exitCode);
    ctx.stdout(renderPlanText(again.plan, style, redactSecrets));

    step("Out of band: someone edits leaf2 on its console");
    lab.fleet
      .get("leaf2")
      .drift([
        "interface Ethernet3",
        "   description quick fix, do not touch",
        "vlan 3999",
        "   name out-of-band-change",
      ]);
    ctx.stdout(
      "  leaf2(config)# interface Ethernet3 / description quick fix, do not touch\n  leaf2(config)# vlan 3999 / name out-of-band-change\n",
    );

    step("reconciler drift: compare live config with git in the managed scope");
    const drift = await runner.drift({ trigger: "schedule" });
    progress.done();
    if (!drift.ok) return fail(ctx, drift.message, drift.exitCode);
    ctx.stdout(renderDriftText(drift.report, style));

    step("A switch event becomes a change in git: leaf3 logs an MD5 knock from a new spine (rule autopeer)");
    const { demoEvent } = await import("./demo-event.ts");
    const event = await demoEvent(repo, options.stateDir, ctx);
    if (event.branch) ctx.stdout(`  ${event.branch}:\n${await git.diff([`main...${event.branch}`])}`);

    step("reconciler doctor: the deployment's security posture, checked from outside");
    const report = await runDoctorOn(repo, fabric, demoCtx, options.stateDir, intruder);
    ctx.stdout(renderDoctorText(report, style));

    step("reconciler history");
    const { journal } = stateFor(repo, options, demoCtx);
    ctx.stdout(renderHistoryText(runHistory(await journal.read(), isProcessAlive), style));

    const found = drift.report.devices.filter((d) => d.status === "drifted").map((d) => d.device);
    const ok =
      again.plan.summary.changed === 0 &&
      found.length === 1 &&
      found[0] === "leaf2" &&
      event.outcome === "proposed" &&
      report.ok;
    ctx.stdout(
      `\n${ok ? style.green("Demo complete") : style.red("Demo did not behave as expected")}: planned ${planned.plan.summary.changed} ${planned.plan.summary.changed === 1 ? "switch" : "switches"}, applied in ${applied.result.messages} XMPP messages, verified, found the drift on ${found.join(", ") || "nothing"} — ${((Date.now() - started) / 1000).toFixed(1)} s.\n`,
    );
    return ok ? ExitCode.ok : ExitCode.applyFailed;
  } finally {
    await lab?.stop().catch(() => {});
    await rm(work, { recursive: true, force: true });
  }
}

/** The doctor with the demo's settings, as `reconciler doctor REPO --probe-jid intruder@…` runs it. */
async function runDoctorOn(
  repo: string,
  fabric: Fabric,
  ctx: CliContext,
  stateDir: string,
  intruder: { user: string; password: string },
): Promise<DoctorReport> {
  const { resolveSecret } = await import("../../fabric/index.ts");
  const { resolveTransportSettings } = await import("../../transport/index.ts");
  const { runDoctor } = await import("../../doctor/index.ts");
  const resolved = resolveTransportSettings(
    fabric.xmpp,
    ctx.env,
    {},
    {
      readSecret: (ref) => resolveSecret(ref, { ...ctx.env }),
      repoDir: repo,
      resource: `doctor-${process.pid}`,
    },
  );
  if (!resolved.ok) throw new Error(resolved.errors.map((e) => e.message).join("; "));
  return runDoctor({
    fabric,
    settings: resolved.settings,
    env: ctx.env,
    stateDir,
    repoDir: repo,
    stranger: { jid: `${intruder.user}@${fabric.xmpp.domain}`, password: intruder.password },
  });
}

function fail(ctx: CliContext, message: string, code: number): number {
  ctx.stderr(`demo: ${message}\n`);
  return code;
}

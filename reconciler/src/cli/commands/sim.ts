import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { SimFleet, SimSwitchSpec } from "../../../sim/index.ts";
import { isXmppServerKind, type XmppServer } from "../../../sim/xmpp-server/types.ts";
import type { Fabric } from "../../fabric/index.ts";
import type { CliContext, RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { addXmppOptions, secretOptions, type XmppOptions } from "../fabric-options.ts";
import { loadRepo, printInvalid } from "./validate.ts";

export interface SimOptions extends Omit<XmppOptions, "xmppJid"> {
  count?: string;
  running?: string;
  faults?: string;
  /** `--start-server [name]`: true (Prosody) or the server's name. */
  startServer?: boolean | string;
  exact?: boolean;
  /** With `emit`: where the simulated switches send syslog (udp://HOST:PORT, tcp://HOST:PORT). */
  syslog?: string;
  emit?: string[];
}

const secret = () => randomBytes(9).toString("base64url");

/** Runs the simulated fabric until `until` settles; returns the exit code. */
export async function runSim(
  repo: string | undefined,
  options: SimOptions,
  ctx: CliContext,
  until: Promise<unknown>,
): Promise<number> {
  const { generatedSwitches, specsFromFabric } = await import("../../../sim/from-fabric.ts");
  const { parseFaultSpec, startSimulatedFabric } = await import("../../../sim/index.ts");
  const { startXmppServer } = await import("../../../sim/xmpp-server/index.ts");
  const { renderIntended, resolveSecret } = await import("../../fabric/index.ts");
  let fabric: Fabric | undefined;
  if (options.count === undefined) {
    const loaded = await loadRepo(ctx, repo ?? ".");
    if (!loaded.ok) {
      printInvalid(ctx, loaded, {}, false);
      return ExitCode.invalidInput;
    }
    fabric = loaded.fabric;
  }
  if (options.emit?.length) {
    if (!fabric || !options.syslog) {
      ctx.stderr(
        "reconciler sim: --emit needs a fabric repo and --syslog udp://HOST:PORT (the service's syslog listener)\n",
      );
      return ExitCode.invalidInput;
    }
    const { emitSyslog } = await import("./sim-emit.ts");
    return emitSyslog(fabric, options.syslog, options.emit, ctx);
  }
  const count = options.count === undefined ? undefined : Number(options.count);
  if (count !== undefined && (!Number.isInteger(count) || count < 1)) {
    ctx.stderr(`reconciler sim: --count needs a positive number of switches (got "${options.count}")\n`);
    return ExitCode.invalidInput;
  }
  const env = ctx.env;
  const pick = (flag: string | undefined, name: string, file: string | number | undefined) =>
    flag ?? (env[name] || undefined) ?? (file === undefined ? undefined : String(file));
  const domain = pick(options.xmppDomain, "RECONCILER_XMPP_DOMAIN", fabric?.xmpp.domain) ?? "fabric.test";
  const mucService =
    pick(options.xmppMuc, "RECONCILER_XMPP_MUC", fabric?.xmpp.mucService) ?? `groups.${domain}`;
  const reconcilerJid =
    pick(undefined, "RECONCILER_XMPP_JID", fabric?.xmpp.reconcilerJid) ?? `reconciler@${domain}`;
  const authorized = [reconcilerJid, ...(fabric?.xmpp.operatorJids ?? [])];

  // Switch passwords: the device's secret reference when it can be read; with our own server, made up.
  const passwords = new Map<string, string>();
  const passwordOf = (device: string): string => {
    const ref = fabric?.devices[device]?.xmpp.password;
    let value: string | undefined;
    if (ref) {
      try {
        const sources = secretOptions(options, ctx);
        value = resolveSecret(ref, { ...env }, { secretsDir: sources.secretsDir, onRead: sources.onSecret });
      } catch (error) {
        if (!options.startServer) throw error;
      }
    }
    value ??= secret();
    passwords.set(device, value);
    return value;
  };

  let specs: SimSwitchSpec[];
  try {
    if (fabric) {
      const f = fabric;
      const files = new Map<string, string>();
      if (options.running) {
        for (const name of Object.keys(f.devices)) {
          const text = await readFile(join(ctx.cwd, options.running, `${name}.cfg`), "utf8").catch(
            () => undefined,
          );
          if (text !== undefined) files.set(name, text);
        }
      }
      specs = specsFromFabric(f, {
        intended: (name) => renderIntended(f, name).text,
        running: (name) => files.get(name),
        password: passwordOf,
        exact: options.exact,
      });
    } else {
      specs = generatedSwitches(count ?? 0, { domain, mucService, password: passwordOf });
    }
  } catch (error) {
    ctx.stderr(`reconciler sim: ${(error as Error).message}\n`);
    return ExitCode.invalidInput;
  }
  const faults = options.faults
    ? parseFaultSpec(options.faults, new Set(specs.map((s) => s.name)))
    : undefined;
  if (faults && !faults.ok) {
    ctx.stderr(`reconciler sim: --faults ${faults.error}\n`);
    return ExitCode.invalidInput;
  }

  const kind = options.startServer === true ? "prosody" : options.startServer || undefined;
  if (kind !== undefined && !isXmppServerKind(kind)) {
    ctx.stderr(`reconciler sim: --start-server ${kind}: use prosody or ejabberd\n`);
    return ExitCode.invalidInput;
  }
  let xmppServer: XmppServer | undefined;
  let fleet: SimFleet | undefined;
  try {
    let server: { host: string; port: number; caFile: string };
    if (kind) {
      xmppServer = await startXmppServer(kind, { domain, mucService });
      const recUser = reconcilerJid.split("@")[0]!;
      const recPassword = env.RECONCILER_XMPP_PASSWORD || secret();
      await xmppServer.registerMany([
        { user: recUser, password: recPassword },
        ...specs.map((s) => ({ user: userOf(s), password: s.password ?? "" })),
      ]);
      server = xmppServer;
      ctx.stdout(
        [
          `Throw-away ${kind} on ${xmppServer.host}:${xmppServer.port} (dir ${xmppServer.dir}). Point the reconciler at it:`,
          `  export RECONCILER_XMPP_HOST=${xmppServer.host}`,
          `  export RECONCILER_XMPP_PORT=${xmppServer.port}`,
          `  export RECONCILER_XMPP_DOMAIN=${domain}`,
          `  export RECONCILER_XMPP_MUC=${mucService}`,
          `  export RECONCILER_XMPP_CA=${xmppServer.caFile}`,
          `  export RECONCILER_XMPP_JID=${reconcilerJid}`,
          `  export RECONCILER_XMPP_PASSWORD=${recPassword}`,
          "",
        ].join("\n"),
      );
    } else {
      const host = pick(options.xmppHost, "RECONCILER_XMPP_HOST", fabric?.xmpp.host) ?? "127.0.0.1";
      const port = Number(pick(options.xmppPort, "RECONCILER_XMPP_PORT", fabric?.xmpp.port) ?? 5222);
      const caFile = pick(options.xmppCa, "RECONCILER_XMPP_CA", fabric?.xmpp.caFile);
      if (!caFile) {
        ctx.stderr(
          "reconciler sim: no CA file for the XMPP server: set --xmpp-ca or RECONCILER_XMPP_CA (or use --start-server)\n",
        );
        return ExitCode.invalidInput;
      }
      server = { host, port, caFile };
    }
    fleet = await startSimulatedFabric({
      server: { ...server, domain, mucService },
      switches: specs,
      authorizedJids: authorized,
    });
    if (faults?.ok) await fleet.setFaults(faults.faults);
    for (const sw of fleet.switches.values()) {
      const state = sw.isOnline ? `online as ${sw.jid}` : "offline (fault)";
      ctx.stdout(`${sw.name.padEnd(12)} ${state}, ${sw.cliMode}, rooms: ${sw.rooms().join(" ") || "-"}\n`);
    }
    ctx.stdout(`${fleet.switches.size} simulated switches; Ctrl-C stops them.\n`);
    await until;
    return ExitCode.ok;
  } catch (error) {
    const e = error as { code?: string; message?: string };
    ctx.stderr(`reconciler sim: ${e.message ?? String(error)}\n`);
    return e.code ? ExitCode.unreachable : ExitCode.invalidInput;
  } finally {
    await fleet?.stop();
    await xmppServer?.stop();
  }
}

function userOf(spec: SimSwitchSpec): string {
  const m = /^ {3}username ([^@\s]+)/m.exec(spec.runningConfig);
  return m?.[1] ?? spec.name;
}

function untilSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once("SIGINT", () => resolve());
    process.once("SIGTERM", () => resolve());
  });
}

export const registerSim: RegisterCommand = (program, ctx) => {
  const command = program
    .command("sim")
    .description("run simulated EOS switches (one XMPP client each) for a fabric, or N generated ones")
    .argument("[repo]", "desired-state repo whose devices to simulate", ".")
    .option("--count <n>", "simulate N generated switches (sw1…swN, rooms all and rackK) instead of a fabric")
    .option(
      "--running <dir>",
      "running configs from <dir>/<device>.cfg (default: intended config with demo differences)",
    )
    .option("--exact", "start from the intended config exactly, without demo differences")
    .option(
      "--faults <spec>",
      "e.g. leaf2:offline,spine1:slow=2000,leaf3:reject=vlan 30,leaf4:drop-reply,leaf1:drift",
    )
    .option(
      "--syslog <url>",
      "with --emit: the service's syslog listener, udp://HOST:PORT or tcp://HOST:PORT",
    )
    .option(
      "--emit <device:message>",
      "send one syslog message as that switch (from its managementAddress when on 127.0.0.0/8) and exit; repeatable",
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .option(
      "--start-server [name]",
      "start a throw-away XMPP server (prosody, the default, or ejabberd), register the accounts and print the settings",
    );
  addXmppOptions(command, { jid: false }).action(async (repo: string, options: SimOptions) => {
    ctx.exitCode = await runSim(repo, options, ctx, untilSignal());
  });
};

/** `reconciler doctor`: gather the observations (IO), then judge them with the check table (pure). */
import { readFileSync } from "node:fs";
import type { Client } from "@xmpp/client";
import type { Fabric } from "../fabric/types.ts";
import {
  connectTransport,
  createXmppClient,
  fabricDirectory,
  startXmppClient,
  stopXmppClient,
  type Transport,
  type TransportSettings,
} from "../transport/index.ts";
import { evaluateChecks } from "./checks.ts";
import { observeLocal } from "./observe-local.ts";
import { observeRoom } from "./observe-rooms.ts";
import { observeServer } from "./observe-server.ts";
import { observeStranger, observeSwitches } from "./observe-switches.ts";
import type { CheckStatus, DoctorReport, Observations, SettingsSource } from "./types.ts";

export interface DoctorOptions {
  /** The fabric whose groups and switches are checked, with the `xmpp` block `settings` came from. */
  fabric: Fabric;
  settings: TransportSettings;
  settingsFrom?: SettingsSource;
  env: Readonly<Record<string, string | undefined>>;
  stateDir: string;
  secretsDir?: string;
  repoDir: string;
  /** A second account that is NOT authorized on the switches, to see them refuse it. */
  stranger?: { jid: string; password: string };
  timeoutMs?: number;
}

export async function runDoctor(o: DoctorOptions): Promise<DoctorReport> {
  const s = o.settings;
  const timeoutMs = o.timeoutMs ?? 5000;
  const ca = s.caFile ? readFileSync(s.caFile, "utf8") : undefined;
  const server = await observeServer({ host: s.host, port: s.port, domain: s.domain, ca, timeoutMs });
  const observations: Observations = {
    server,
    local: await observeLocal({
      env: o.env,
      fabric: o.fabric,
      stateDir: o.stateDir,
      secretsDir: o.secretsDir,
      repoDir: o.repoDir,
    }),
    expected: {
      domain: s.domain,
      switchServer: o.fabric.xmpp.switchServer,
      privilege: o.fabric.xmpp.sessionPrivilege,
    },
    strangerTested: o.stranger !== undefined,
  };
  if (!server.error && server.certificate) await observeLoggedIn(o, observations, ca, timeoutMs);
  const results = evaluateChecks(observations);
  const summary: Record<CheckStatus, number> = { pass: 0, warn: 0, fail: 0, skip: 0 };
  for (const r of results) summary[r.status]++;
  return {
    kind: "doctor",
    fabric: o.fabric.name,
    server: { host: s.host, port: s.port, domain: s.domain },
    ...(o.settingsFrom ? { settingsFrom: o.settingsFrom } : {}),
    results,
    summary,
    ok: summary.fail === 0,
  };
}

async function observeLoggedIn(
  o: DoctorOptions,
  into: Observations,
  ca: string | undefined,
  timeoutMs: number,
): Promise<void> {
  const s = o.settings;
  const directory = fabricDirectory(o.fabric, s);
  const resource = `doctor-${process.pid}`;
  let client: Client | undefined;
  let transport: Transport | undefined;
  try {
    client = createXmppClient({
      host: s.host,
      port: s.port,
      domain: s.domain,
      resource,
      tls: s.tls,
      credentials: s.clientCert
        ? { kind: "external", jid: s.jid }
        : { kind: "password", username: s.jid.split("@")[0]!, password: s.password ?? "" },
      tlsMaterial: {
        ...(ca ? { ca: [ca] } : {}),
        ...(s.clientCert
          ? { cert: readFileSync(s.clientCert.cert, "utf8"), key: readFileSync(s.clientCert.key, "utf8") }
          : {}),
      },
    });
    await startXmppClient(client, s.jid, s.caFile, timeoutMs * 2);
  } catch (error) {
    into.loginError = `${s.jid} cannot log in: ${(error as Error).message}`;
    if (client) await stopXmppClient(client).catch(() => undefined);
    return;
  }
  try {
    const c = client;
    into.rooms = await Promise.all(
      Object.values(o.fabric.groups)
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((g) =>
          observeRoom(
            c,
            {
              group: g.name,
              room: directory.groupRoom(g.name),
              expected: g.members.map((m) => directory.deviceJid(m).toLowerCase()).sort(),
            },
            timeoutMs,
          ),
        ),
    );
    transport = await connectTransport(
      { ...s, resource: `${resource}-t`, replyTimeoutMs: timeoutMs },
      directory,
    );
    const devices = Object.keys(o.fabric.devices)
      .sort()
      .map((name) => ({ name, jid: directory.deviceJid(name) }));
    into.switches = await observeSwitches(transport, devices, timeoutMs);
    if (o.stranger) {
      const refused = await strangerView(
        o,
        devices.map((d) => d.name),
        timeoutMs,
      );
      for (const sw of into.switches) sw.stranger = refused.get(sw.device) ?? "not-tested";
    }
  } finally {
    await transport?.close().catch(() => undefined);
    await stopXmppClient(client).catch(() => undefined);
  }
}

async function strangerView(
  o: DoctorOptions,
  devices: string[],
  timeoutMs: number,
): Promise<Map<string, "refused" | "answered">> {
  const s = o.settings;
  const stranger = o.stranger!;
  let transport: Transport | undefined;
  try {
    transport = await connectTransport(
      {
        ...s,
        jid: stranger.jid,
        password: stranger.password,
        clientCert: undefined,
        resource: `doctor-stranger-${process.pid}`,
        replyTimeoutMs: timeoutMs,
      },
      fabricDirectory(o.fabric, s),
    );
    return await observeStranger(transport, devices, timeoutMs);
  } catch {
    return new Map();
  } finally {
    await transport?.close().catch(() => undefined);
  }
}

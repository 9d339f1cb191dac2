/** A lab for integration tests: one throw-away Prosody, simulated switches, and the reconciler's transport. */

import { simSwitchConfig } from "../../../reconciler/sim/from-fabric.ts";
import type { SimFleet, SimSwitchSpec } from "../../../reconciler/sim/index.ts";
import { startSimulatedFabric } from "../../../reconciler/sim/index.ts";
import type { XmppServer } from "../../../reconciler/sim/xmpp-server/index.ts";
import type { CliMode } from "../../../reconciler/src/fabric/types.ts";
import {
  connectTransport,
  type Transport,
  type TransportDirectory,
  type TransportSettings,
} from "../../../reconciler/src/transport/index.ts";

export const RECONCILER = "reconciler";
export const RECONCILER_PASSWORD = "rec-secret";

export function switchConfig(
  name: string,
  server: Pick<XmppServer, "domain" | "mucService">,
  o: { groups?: string[]; privilege?: number } = {},
): string {
  return simSwitchConfig(name, {
    domain: server.domain,
    mucService: server.mucService,
    rooms: o.groups,
    privilege: o.privilege,
  });
}

export function switchSpecs(
  server: XmppServer,
  names: string[],
  o: { groups?: string[]; privilege?: number; cliMode?: CliMode; echoThread?: boolean } = {},
): SimSwitchSpec[] {
  return names.map((name) => ({
    name,
    password: `${name}-pw`,
    runningConfig: switchConfig(name, server, o),
    cliMode: o.cliMode,
    echoThread: o.echoThread,
  }));
}

export async function registerAll(server: XmppServer, specs: SimSwitchSpec[]): Promise<void> {
  await server.registerMany([
    { user: RECONCILER, password: RECONCILER_PASSWORD },
    ...specs.map((s) => ({ user: s.name, password: s.password ?? "" })),
  ]);
}

export function startFleet(
  server: XmppServer,
  specs: SimSwitchSpec[],
  authorized?: string[],
): Promise<SimFleet> {
  return startSimulatedFabric({
    server: {
      host: server.host,
      port: server.port,
      domain: server.domain,
      mucService: server.mucService,
      caFile: server.caFile,
    },
    switches: specs,
    authorizedJids: authorized ?? [`${RECONCILER}@${server.domain}`],
  });
}

export function settingsFor(server: XmppServer, o: Partial<TransportSettings> = {}): TransportSettings {
  return {
    host: server.host,
    port: server.port,
    domain: server.domain,
    mucService: server.mucService,
    jid: `${RECONCILER}@${server.domain}`,
    resource: "reconciler",
    password: RECONCILER_PASSWORD,
    caFile: server.caFile,
    tls: "starttls",
    cliMode: "multiline",
    replyTimeoutMs: 5000,
    maxInFlight: 256,
    maxBodyBytes: 60_000,
    ...o,
  };
}

/** Switch name = XMPP user; group name = room local part. */
export function directoryFor(server: XmppServer, names: string[]): TransportDirectory {
  return {
    deviceJid: (name) => `${name}@${server.domain}`,
    groupRoom: (group) => `${group}@${server.mucService}`,
    deviceNames: () => names,
  };
}

export function connect(
  server: XmppServer,
  names: string[],
  o: Partial<TransportSettings> = {},
  warnings: string[] = [],
): Promise<Transport> {
  return connectTransport(settingsFor(server, o), directoryFor(server, names), {
    onWarning: (m) => warnings.push(m),
  });
}

export async function eventually(
  check: () => boolean,
  timeoutMs = 10_000,
  what = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

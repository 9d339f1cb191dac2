/**
 * A whole lab for one fabric: a throw-away XMPP server (Prosody or ejabberd), an account per switch and for the reconciler, and
 * one simulated switch per device. The demo, the end-to-end tests and the benchmarks start one.
 */
import { randomBytes } from "node:crypto";
import { renderIntended } from "../src/fabric/index.ts";
import type { CliMode, Fabric } from "../src/fabric/types.ts";
import type { Fault } from "./faults.ts";
import { type SimFleet, startSimulatedFabric } from "./fleet.ts";
import { fabricRooms, setUpRooms } from "./room-setup.ts";
import type { SimSwitchSpec } from "./switch.ts";
import {
  startXmppServer,
  type XmppServer,
  type XmppServerKind,
  type XmppServerOptions,
} from "./xmpp-server/index.ts";

export interface LabOptions {
  fabric: Fabric;
  /** The running config a switch starts with; default its intended config. */
  running?: (device: string, intended: string) => string;
  /** The switches' framing, for all or per device; default the fabric's (the simulator's for `auto`). */
  cliMode?: CliMode | ((device: string) => CliMode);
  echoThread?: boolean | ((device: string) => boolean);
  /** Where switches answer a room command: in the room (default) or privately to the sender. */
  groupReplies?: "room" | "sender";
  faults?: Map<string, Fault[]>;
  /** Which XMPP server to start; default Prosody. */
  server?: XmppServerKind;
  serverOptions?: XmppServerOptions;
  /** Devices that stay offline from the start (no client logs in). */
  offline?: string[];
  /**
   * Set the group rooms up as the README says (members-only, real JIDs, no history, the group's switches
   * as members, the reconciler as owner) before the switches join; `open` names rooms left open to anyone.
   */
  hardenRooms?: { open?: string[] };
}

export interface Lab {
  server: XmppServer;
  fleet: SimFleet;
  /** What the reconciler runs with: the connection overrides and its password, as environment. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

function perDevice<T extends string | boolean>(
  value: T | ((device: string) => T) | undefined,
  device: string,
): T | undefined {
  return typeof value === "function" ? value(device) : value;
}

function fixedMode(fabric: Fabric): CliMode | undefined {
  return fabric.xmpp.cliMode === "auto" ? undefined : fabric.xmpp.cliMode;
}

const secret = () => randomBytes(12).toString("base64url");

export async function startLab(options: LabOptions): Promise<Lab> {
  const { fabric } = options;
  const server = await startXmppServer(options.server ?? "prosody", {
    domain: fabric.xmpp.domain,
    mucService: fabric.xmpp.mucService,
    ...options.serverOptions,
  });
  try {
    const reconcilerPassword = secret();
    const specs: SimSwitchSpec[] = Object.values(fabric.devices)
      .sort((a, b) => a.name.localeCompare(b.name))
      .filter((device) => !options.offline?.includes(device.name))
      .map((device) => {
        const intended = renderIntended(fabric, device.name).text;
        return {
          name: device.name,
          password: secret(),
          runningConfig: options.running ? options.running(device.name, intended) : intended,
          cliMode: perDevice(options.cliMode, device.name) ?? fixedMode(fabric),
          echoThread: perDevice(options.echoThread, device.name),
          groupReplies: options.groupReplies,
          faults: options.faults?.get(device.name),
        };
      });
    await server.registerMany([
      { user: fabric.xmpp.reconcilerJid.split("@")[0]!, password: reconcilerPassword },
      ...Object.values(fabric.devices).map((d) => ({
        user: d.xmpp.user,
        password: specs.find((s) => s.name === d.name)?.password ?? secret(),
      })),
    ]);
    if (options.hardenRooms) {
      await setUpRooms({
        server,
        owner: { user: fabric.xmpp.reconcilerJid.split("@")[0]!, password: reconcilerPassword },
        rooms: fabricRooms(fabric),
        openRooms: options.hardenRooms.open?.map((g) => `${g}@${fabric.xmpp.mucService}`),
      });
    }
    const fleet = await startSimulatedFabric({
      server: {
        host: server.host,
        port: server.port,
        domain: fabric.xmpp.domain,
        mucService: fabric.xmpp.mucService,
        caFile: server.caFile,
      },
      switches: specs,
      authorizedJids: [fabric.xmpp.reconcilerJid, ...fabric.xmpp.operatorJids],
    });
    const passwordVar =
      fabric.xmpp.reconcilerPassword?.kind === "env"
        ? fabric.xmpp.reconcilerPassword.name
        : "RECONCILER_XMPP_PASSWORD";
    return {
      server,
      fleet,
      env: {
        RECONCILER_XMPP_HOST: server.host,
        RECONCILER_XMPP_PORT: String(server.port),
        RECONCILER_XMPP_CA: server.caFile,
        RECONCILER_XMPP_PASSWORD: reconcilerPassword,
        [passwordVar]: reconcilerPassword,
      },
      async stop() {
        await fleet.stop();
        await server.stop();
      },
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

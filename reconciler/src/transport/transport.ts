/**
 * The reconciler's XMPP transport: one session as the reconciler's JID, requests to switches (chat) and to
 * groups (their MUC room), replies correlated per DESIGN §8 (see correlation.ts), bounded concurrency.
 *
 * Script contract (EOS answers "with the output, if any"; a config line prints nothing, and so do an empty
 * session diff and a section filter that matches nothing): the transport appends a terminator command that
 * always prints (`show hostname`, see reply.ts) and removes its output, so a script may end with any
 * line; the reply is what the caller's lines printed, "" when nothing. With the terminator turned off
 * (settings.terminator = null) the last line must always print, or the request ends in a timeout. In
 * per-sender mode, lines other than the last should print only on error. Lines are EOS CLI indented as EOS
 * prints config (3 spaces per level), which is what lets a long multiline script be split (script.ts).
 */
import { readFileSync } from "node:fs";
import { type Element, jid, xml } from "@xmpp/client";
import type { CliMode } from "../fabric/types.ts";
import { threadIds } from "./correlation.ts";
import { DirectRequests } from "./direct.ts";
import { ConnectFailedError, TransportLostError } from "./errors.ts";
import { type GroupReply, GroupRequests } from "./group.ts";
import { Lanes, Limiter } from "./limiter.ts";
import { PresenceBook } from "./presence.ts";
import { DEFAULT_TERMINATOR } from "./reply.ts";
import { RoomBook } from "./rooms.ts";
import { scriptMessages } from "./script.ts";
import { XmppSession } from "./session.ts";
import type { TransportSettings } from "./settings.ts";

export type { GroupReply } from "./group.ts";

export interface RequestOptions {
  timeoutMs?: number;
  /** Frame this request so, whatever the switch's framing (the framing probe, framing/probe.ts). */
  framing?: CliMode;
}

export interface GroupRequestOptions extends RequestOptions {
  /** The switches expected to answer (the group's members). */
  members: string[];
}

export interface Transport {
  /** One command (or several lines) to one switch; resolves with its reply text. */
  send(device: string, command: string, opts?: RequestOptions): Promise<string>;
  /** A script to one switch; its last line must print (see the script contract above). */
  sendScript(device: string, lines: string[], opts?: RequestOptions): Promise<string>;
  /**
   * A command to a group's room; one entry per member, in member order. Per-member failures (timeout,
   * command-error, transport-lost, …) are entries, not a rejection; it rejects only for a script it cannot
   * send at all (too-large).
   */
  sendToGroup(group: string, command: string, opts: GroupRequestOptions): Promise<Map<string, GroupReply>>;
  sendScriptToGroup(
    group: string,
    lines: string[],
    opts: GroupRequestOptions,
  ): Promise<Map<string, GroupReply>>;
  /** Switches whose presence says available (or that answered us) on the current stream. */
  onlineDevices(): Set<string>;
  /** The XMPP resource of the switch's session we address, when presence or a reply told it. */
  resourceOf(device: string): string | undefined;
  /**
   * The framing of one switch's scripts from now on (`cliMode: auto`, framing/); a room's scripts use its
   * members' framing (the plan sends to a room only when they share one). Default: settings.cliMode.
   */
  useFraming(device: string, mode: CliMode): void;
  close(): Promise<void>;
}

export interface TransportDirectory {
  deviceJid(name: string): string;
  groupRoom(name: string): string;
  /** All device names, so presence can be named before any request went to a switch. */
  deviceNames?(): Iterable<string>;
}

export interface TransportHooks {
  /** Loud warnings (insecure connection, reconnect failures): the CLI prints them. */
  onWarning?(message: string): void;
}

export async function connectTransport(
  settings: TransportSettings,
  directory: TransportDirectory,
  hooks: TransportHooks = {},
): Promise<Transport> {
  const warn = hooks.onWarning ?? (() => undefined);
  const devices = [...(directory.deviceNames?.() ?? [])].map((n): [string, string] => [
    n,
    bare(directory.deviceJid(n)),
  ]);
  const presence = new PresenceBook(devices);
  const rooms = new RoomBook(jid(settings.jid).local);
  const nextThread = threadIds(`r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`);
  const limiter = new Limiter(settings.maxInFlight);
  const lanes = new Lanes();

  const session = new XmppSession(
    {
      label: settings.jid,
      host: settings.host,
      port: settings.port,
      domain: settings.domain,
      resource: settings.resource,
      tls: settings.tls,
      caFile: settings.caFile,
      credentials: settings.clientCert
        ? { kind: "external", jid: settings.jid }
        : { kind: "password", username: jid(settings.jid).local, password: settings.password ?? "" },
      tlsMaterial: {
        ...(settings.caFile
          ? { ca: [readPem(settings.caFile, "CA file (xmpp.caFile / RECONCILER_XMPP_CA)")] }
          : {}),
        ...(settings.clientCert
          ? {
              cert: readPem(settings.clientCert.cert, "client certificate (xmpp.clientCert.cert)"),
              key: readPem(settings.clientCert.key, "client key (xmpp.clientCert.key)"),
            }
          : {}),
      },
      backoff: settings.backoff,
      pingIntervalMs: settings.pingIntervalMs,
    },
    {
      onStanza: (s) => route(s),
      onOnline: async () => {
        presence.reset();
        await session.send(xml("presence"));
        // re-join every room we were in: a new stream is in none
        await Promise.all(
          rooms.all().map((r) => rooms.ensureJoined(r.room, send1).catch((e) => warn(String(e)))),
        );
      },
      onLost: (reason) => {
        presence.reset(); // while we are offline nobody is known to be online
        rooms.markAllLeft();
        direct.failAll((d) => new TransportLostError(d, reason));
        group.failAll((d) => new TransportLostError(d, reason));
      },
      onWarning: warn,
    },
  );
  const send1 = (s: Element) => session.send(s);
  const sendMany = (s: Element[]) => session.sendMany(s);
  const direct = new DirectRequests({ nextThread, send: sendMany, isOnline: () => session.isOnline });
  const group = new GroupRequests({
    nextThread,
    send: sendMany,
    isOnline: (device) => presence.isOnline(bare(directory.deviceJid(device))),
  });

  function route(s: Element): void {
    if (s.is("presence")) {
      const from = s.attrs.from ? bare(s.attrs.from) : "";
      if (rooms.isRoom(from)) rooms.handlePresence(s);
      else for (const reply of presence.handle(s)) void session.send(reply).catch(() => undefined);
      return;
    }
    if (!s.is("message") || !s.attrs.from) return;
    if (s.getChild("delay", "urn:xmpp:delay")) return; // history, never a live answer
    const thread = s.getChildText("thread") ?? undefined;
    if (s.attrs.type === "error") {
      const condition =
        s
          .getChild("error")
          ?.children.find((c) => typeof c !== "string")
          ?.toString() ?? "error";
      const id = s.attrs.id ?? thread ?? "";
      const name = /<([a-z-]+)/.exec(condition)?.[1] ?? "error";
      if (!direct.handleBounce(id, name)) group.handleBounce(id, name);
      return;
    }
    const body = s.getChildText("body");
    if (body === null) return;
    const [fromBare, resource] = splitJid(s.attrs.from);
    if (rooms.isRoom(fromBare)) {
      if (s.attrs.type !== "groupchat") return;
      const state = rooms.get(fromBare);
      if (!state || resource === state.nick) return; // our own message, reflected
      const device = deviceInRoom(fromBare, resource);
      if (device) group.handleReply(fromBare, device, body, thread);
      return;
    }
    const device = presence.nameOf(fromBare);
    if (!device) return;
    presence.sawMessageFrom(s.attrs.from);
    if (thread !== undefined && group.ownsThread(thread)) group.handleReply(undefined, device, body, thread);
    else if (thread !== undefined || direct.hasInFlight(device)) direct.handleReply(device, body, thread);
    else group.handleReply(undefined, device, body, undefined);
  }

  /** Occupant → switch: by the real JID when the room shows it, else by nickname = the switch's user. */
  const nickIndex = new Map<string, string>();
  function deviceInRoom(room: string, nick: string): string | undefined {
    const real = rooms.realJid(room, nick);
    return (real && presence.nameOf(real)) || nickIndex.get(nick.toLowerCase());
  }

  const learned = new Map<string, string>();
  function learn(device: string): string {
    let address = learned.get(device);
    if (address === undefined) {
      address = bare(directory.deviceJid(device));
      presence.learn(device, address);
      nickIndex.set(jid(address).local.toLowerCase(), device);
      learned.set(device, address);
    }
    return address;
  }
  for (const [name] of devices) learn(name);

  await session.start();

  const timeoutOf = (opts?: RequestOptions) => opts?.timeoutMs ?? settings.replyTimeoutMs;
  const terminator = settings.terminator === null ? undefined : (settings.terminator ?? DEFAULT_TERMINATOR);
  const framings = new Map<string, CliMode>();
  const framingOf = (device: string | undefined, opts?: RequestOptions): CliMode =>
    opts?.framing ?? (device === undefined ? undefined : framings.get(device)) ?? settings.cliMode;

  const transport: Transport = {
    send: (device, command, opts) => transport.sendScript(device, command.split("\n"), opts),
    async sendScript(device, lines, opts) {
      const address = learn(device);
      const bodies = scriptMessages(
        device,
        lines,
        framingOf(device, opts),
        settings.maxBodyBytes,
        terminator,
      );
      return lanes.run(`device:${device}`, () =>
        limiter.run(() =>
          direct.request(
            device,
            presence.address(address),
            bodies,
            timeoutOf(opts),
            terminator !== undefined,
          ),
        ),
      );
    },
    sendToGroup: (name, command, opts) => transport.sendScriptToGroup(name, command.split("\n"), opts),
    async sendScriptToGroup(name, lines, opts) {
      const room = bare(directory.groupRoom(name));
      for (const m of opts.members) learn(m);
      const bodies = scriptMessages(
        name,
        lines,
        framingOf(opts.members[0], opts),
        settings.maxBodyBytes,
        terminator,
      );
      return lanes.run(`room:${room}`, () =>
        limiter.run(async () => {
          if (!session.isOnline) return failEvery(opts.members, "not connected to the XMPP server");
          try {
            await rooms.ensureJoined(room, send1);
          } catch (error) {
            return failEvery(opts.members, `cannot join ${room}: ${(error as Error).message}`);
          }
          return group.request(room, opts.members, bodies, timeoutOf(opts), terminator !== undefined);
        }),
      );
    },
    onlineDevices: () => presence.onlineDevices(),
    resourceOf(device) {
      const full = presence.address(learn(device));
      const slash = full.indexOf("/");
      return slash < 0 ? undefined : full.slice(slash + 1);
    },
    useFraming: (device, mode) => {
      framings.set(device, mode);
    },
    close: () => {
      direct.failAll((d) => new TransportLostError(d, "transport closed"));
      group.failAll((d) => new TransportLostError(d, "transport closed"));
      return session.close();
    },
  };
  return transport;
}

function readPem(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new ConnectFailedError(`cannot read the ${what} ${path} (${code})`);
  }
}

function failEvery(members: string[], detail: string): Map<string, GroupReply> {
  return new Map(members.map((m) => [m, { ok: false, error: new TransportLostError(m, detail) }]));
}

/** [bare JID lower-cased, resource] without a full JID parse (this runs for every stanza). */
function splitJid(address: string): [string, string] {
  const slash = address.indexOf("/");
  return slash < 0
    ? [address.toLowerCase(), ""]
    : [address.slice(0, slash).toLowerCase(), address.slice(slash + 1)];
}

function bare(address: string): string {
  return jid(address).bare().toString().toLowerCase();
}

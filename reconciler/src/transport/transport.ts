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
import { bareJidOf } from "./bare-jid.ts";
import { DEFAULT_MAX_REPLY_BYTES, threadIds } from "./correlation.ts";
import { DirectRequests, type DirectTarget } from "./direct.ts";
import {
  ConnectFailedError,
  RoomAnonymousError,
  RoomOccupantsHiddenError,
  SessionConflictError,
  type TransportError,
  TransportLostError,
} from "./errors.ts";
import { type GroupMember, type GroupReply, GroupRequests } from "./group.ts";
import { Lanes, Limiter } from "./limiter.ts";
import { OccupantList } from "./occupant-list.ts";
import { PacedSender } from "./paced.ts";
import { PresenceBook } from "./presence.ts";
import { DEFAULT_TERMINATOR } from "./reply.ts";
import { normaliseFullJid, RoomBook } from "./rooms.ts";
import { scriptMessages } from "./script.ts";
import { XmppSession } from "./session.ts";
import type { TransportSettings } from "./settings.ts";

export type { GroupReply } from "./group.ts";

/**
 * How long no request must have run before subscription answers go out (paced.ts). A rollout's gaps
 * between steps last milliseconds; a chunk sent into one cost the next step 0.3–0.6 s of server time
 * (Prosody rewrites the reconciler's whole roster per answer), 20 chunks per 200-switch apply at first
 * contact. A quiet second is found between the runs of `serve`, not inside one.
 */
const SUBSCRIPTION_QUIET_MS = 1000;
/**
 * How long close() goes on sending the subscription answers no quiet second let out (paced.ts flush),
 * so that CLI runs complete first contact after their work and later runs get presence, which is what
 * tells a second session of a switch's account. Bounded so that no run pays much of it: 200 switches
 * on Prosody's file storage take about 10 s (two or three runs), 2,000 on ejabberd about 20 s; with 20 s
 * the second `plan` of a 2,000-switch ejabberd fabric took 18 s, over the issue-14 target of 15 s.
 */
const SUBSCRIPTION_FLUSH_LIMIT_MS = 5_000;

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
    bareJidOf(directory.deviceJid(n)),
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
        onlineAt = Date.now();
        // Which switches' presence to wait for: those the roster says we are subscribed to.
        void session.client.iqCaller
          .request(xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })), presenceWaitMs)
          .then((result: Element) => {
            const items = result.getChild("query", "jabber:iq:roster")?.getChildren("item") ?? [];
            presence.expectPresenceFrom(
              items
                .filter((i) => i.attrs.subscription === "to" || i.attrs.subscription === "both")
                .map((i) => String(i.attrs.jid)),
            );
          })
          .catch(() => undefined); // no roster: requests wait for presence until presenceWaitMs
        await session.send(xml("presence"));
        // re-join every room we were in: a new stream is in none
        await Promise.all(
          rooms.all().map((r) => rooms.ensureJoined(r.room, send1).catch((e) => warn(String(e)))),
        );
      },
      onLost: (reason) => {
        paced.clear();
        presence.reset(); // while we are offline nobody is known to be online
        occupantList.clear();
        rooms.markAllLeft();
        direct.failAll((d) => new TransportLostError(d, reason));
        group.failAll((d) => new TransportLostError(d, reason));
      },
      onWarning: warn,
    },
  );
  /** When the current stream went online: requests wait up to presenceWaitMs after it for presence. */
  let onlineAt = Date.now();
  const presenceWaitMs = settings.presenceWaitMs ?? 3000;
  const send1 = (s: Element) => session.send(s);
  // Subscription answers wait their turn behind requests (paced.ts); 16 = 8 switches' answers.
  const paced = new PacedSender({
    send: (stanzas) => session.sendMany(stanzas),
    idle: () => limiter.whenQuiet(SUBSCRIPTION_QUIET_MS),
    ping: () =>
      session.client.iqCaller
        .request(
          xml("iq", { type: "get", to: settings.domain }, xml("ping", { xmlns: "urn:xmpp:ping" })),
          30_000,
        )
        .then(
          () => undefined,
          // An error reply (ping not supported) also shows the server got this far; a timeout: go on.
          () => undefined,
        ),
    chunk: 16,
  });
  const sendMany = (s: Element[]) => session.sendMany(s);
  const maxReplyBytes = settings.maxReplyBytes ?? DEFAULT_MAX_REPLY_BYTES;
  const direct = new DirectRequests({
    nextThread,
    send: sendMany,
    isOnline: () => session.isOnline,
    maxReplyBytes,
  });
  const group = new GroupRequests({
    nextThread,
    maxReplyBytes,
    send: sendMany,
    isOnline: (device) => presence.isOnline(bareJidOf(directory.deviceJid(device))),
  });

  const occupantList = new OccupantList({
    request: (iq) => session.client.iqCaller.request(iq, 10_000),
    onListed: (room, occupants) => rooms.setListed(room, occupants),
    onRefused: (room, reason) => {
      rooms.setListed(room, new Map());
      group.failRoom(room, (d) => new RoomOccupantsHiddenError(d, room, reason));
    },
    redeliver: (s) => route(s),
  });

  function route(s: Element): void {
    if (s.is("presence")) {
      const from = s.attrs.from ? bareJidOf(s.attrs.from) : "";
      if (rooms.isRoom(from)) rooms.handlePresence(s);
      else {
        const replies = presence.handle(s);
        if (replies.length > 0) paced.push(replies);
      }
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
    const [fromBare, resource] = splitJid(s.attrs.from);
    if (rooms.isRoom(fromBare)) {
      if (s.attrs.type !== "groupchat") return;
      if (resource === "") {
        rooms.handleRoomMessage(s); // the room itself: status codes
        return;
      }
      const body = s.getChildText("body");
      const state = rooms.get(fromBare);
      if (body === null || !state || resource === state.nick) return; // our own message, reflected
      if (!rooms.isUsable(fromBare)) return;
      if (!rooms.knows(fromBare, resource)) {
        // No presence named this occupant: the room may broadcast only moderators' presence. Ask it who
        // is in it (once per group request); after that, an occupant still unknown is no member.
        if (occupantList.isHolding(fromBare) || (!rooms.wasListed(fromBare) && group.isPending(fromBare)))
          occupantList.hold(fromBare, s);
        return;
      }
      // Only the occupant's real JID says who speaks: a nickname is whatever the occupant chose.
      const real = rooms.realJid(fromBare, resource);
      const device = real && presence.nameOf(bareJidOf(real));
      if (real && device) group.handleReply(fromBare, device, body, thread, real);
      return;
    }
    const body = s.getChildText("body");
    if (body === null) return;
    const device = presence.nameOf(fromBare);
    if (!device || resource === "") return;
    const sender = normaliseFullJid(s.attrs.from);
    presence.sawMessageFrom(sender);
    repliedFrom.set(device, resource);
    if (thread !== undefined && group.ownsThread(thread))
      group.handleReply(undefined, device, body, thread, sender);
    else if (thread !== undefined || direct.hasInFlight(device))
      direct.handleReply(device, body, thread, sender);
    else group.handleReply(undefined, device, body, undefined, sender);
  }

  /**
   * Where a request to `device` goes and whose replies count: the one session its account announced, or
   * (no presence yet) its bare JID and the first session that answers. Two announced sessions: a conflict.
   */
  async function targetOf(device: string): Promise<DirectTarget | SessionConflictError> {
    const address = learn(device);
    await presence.whenKnown(address, onlineAt + presenceWaitMs);
    const seen = presence.session(address);
    if (seen.kind === "many") return new SessionConflictError(device, seen.fulls);
    return seen.kind === "one" ? { address: seen.full, boundTo: seen.full } : { address };
  }

  /** device → the resource its last chat reply came from (presence may not be in yet under load). */
  const repliedFrom = new Map<string, string>();
  const learned = new Map<string, string>();
  function learn(device: string): string {
    let address = learned.get(device);
    if (address === undefined) {
      address = bareJidOf(directory.deviceJid(device));
      presence.learn(device, address);
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
      const bodies = scriptMessages(
        device,
        lines,
        framingOf(device, opts),
        settings.maxBodyBytes,
        terminator,
      );
      return lanes.run(`device:${device}`, () =>
        limiter.run(async () => {
          const target = await targetOf(device);
          if (target instanceof SessionConflictError) throw target;
          return direct.request(device, target, bodies, timeoutOf(opts), terminator !== undefined);
        }),
      );
    },
    sendToGroup: (name, command, opts) => transport.sendScriptToGroup(name, command.split("\n"), opts),
    async sendScriptToGroup(name, lines, opts) {
      const room = bareJidOf(directory.groupRoom(name));
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
          if (!session.isOnline)
            return failEvery(
              opts.members,
              (m) => new TransportLostError(m, "not connected to the XMPP server"),
            );
          try {
            await rooms.ensureJoined(room, send1);
          } catch (error) {
            return failEvery(opts.members, (m) =>
              error instanceof RoomAnonymousError
                ? new RoomAnonymousError(m, room)
                : new TransportLostError(m, `cannot join ${room}: ${(error as Error).message}`),
            );
          }
          rooms.forgetListed(room);
          const members = await Promise.all(
            opts.members.map(async (device): Promise<GroupMember> => {
              const target = await targetOf(device);
              return target instanceof SessionConflictError
                ? { device, refused: target }
                : { device, boundTo: target.boundTo };
            }),
          );
          return group.request(room, members, bodies, timeoutOf(opts), terminator !== undefined);
        }),
      );
    },
    onlineDevices: () => presence.onlineDevices(),
    resourceOf(device) {
      const seen = presence.session(learn(device));
      // presence first (the one announced session); else the session that last answered on this stream
      if (seen.kind === "one") return seen.full.slice(seen.full.indexOf("/") + 1);
      return seen.kind === "none" ? repliedFrom.get(device) : undefined;
    },
    useFraming: (device, mode) => {
      framings.set(device, mode);
    },
    close: async () => {
      direct.failAll((d) => new TransportLostError(d, "transport closed"));
      group.failAll((d) => new TransportLostError(d, "transport closed"));
      if (session.isOnline) await paced.flush(SUBSCRIPTION_FLUSH_LIMIT_MS);
      await session.close();
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

function failEvery(members: string[], error: (device: string) => TransportError): Map<string, GroupReply> {
  return new Map(members.map((m) => [m, { ok: false, error: error(m) }]));
}

/** [bare JID lower-cased, resource] without a full JID parse (this runs for every stanza). */
function splitJid(address: string): [string, string] {
  const slash = address.indexOf("/");
  return slash < 0
    ? [address.toLowerCase(), ""]
    : [address.slice(0, slash).toLowerCase(), address.slice(slash + 1)];
}

/**
 * A real XMPP client that is not a switch, on the real test server: an account of its own (`mallory`)
 * or a second resource of a switch's account. It can join a room under any nickname, make a room it
 * owns semi-anonymous, stay silent about its presence, and answer whatever the reconciler sends with a
 * forged reply that echoes the request's <thread>, as fast as it can. The tests use it to prove that
 * nothing but the switch's own session speaks for the switch.
 */
import { readFileSync } from "node:fs";
import { type Element, xml } from "@xmpp/client";
import type { XmppServer } from "../../../reconciler/sim/xmpp-server/index.ts";
import { XmppSession } from "../../../reconciler/src/transport/index.ts";

const NS_MUC = "http://jabber.org/protocol/muc";

export interface RogueClient {
  readonly fullJid: string;
  /** Joins a room under `nick`; resolves on the room's self-presence (status 110). */
  joinRoom(room: string, nick: string): Promise<void>;
  /** As the room's owner: hide real JIDs from everyone but moderators (XEP-0045 whois=moderators). */
  makeSemiAnonymous(room: string): Promise<void>;
  /** Answer every command from `from` (bare JID) with `reply`: in the room for groupchat, by chat otherwise. */
  forgeReplies(from: string, reply: string): void;
  /** Sends a chat message (no thread: taken for the in-flight request when correlation is by order). */
  chat(to: string, body: string): Promise<void>;
  /** Commands it received (bodies). */
  readonly received: string[];
  close(): Promise<void>;
}

export async function startRogueClient(
  server: XmppServer,
  account: { user: string; password: string; resource: string },
  options: { announcePresence?: boolean } = {},
): Promise<RogueClient> {
  const joins = new Map<string, () => void>();
  const received: string[] = [];
  let forge: { from: string; reply: string } | undefined;
  const session: XmppSession = new XmppSession(
    {
      label: `${account.user}/${account.resource}`,
      host: server.host,
      port: server.port,
      domain: server.domain,
      resource: account.resource,
      tls: "starttls",
      caFile: server.caFile,
      credentials: { kind: "password", username: account.user, password: account.password },
      tlsMaterial: { ca: [readFileSync(server.caFile, "utf8")] },
      pingIntervalMs: 0,
    },
    {
      onStanza: (stanza: Element) => {
        const from = stanza.attrs.from ?? "";
        if (stanza.is("presence")) {
          const codes = (stanza.getChild("x", `${NS_MUC}#user`)?.getChildren("status") ?? []).map(
            (s) => s.attrs.code,
          );
          const room = from.split("/")[0]!.toLowerCase();
          if (codes.includes("110")) joins.get(room)?.();
          return;
        }
        if (!stanza.is("message") || stanza.attrs.type === "error") return;
        const body = stanza.getChildText("body");
        if (body === null || stanza.getChild("delay", "urn:xmpp:delay")) return;
        const thread = stanza.getChildText("thread") ?? undefined;
        const groupchat = stanza.attrs.type === "groupchat";
        const sender = groupchat ? from.split("/")[1] : from.split("/")[0];
        if (!forge || !sender || (groupchat ? false : sender.toLowerCase() !== forge.from)) return;
        if (groupchat && !forge.from.startsWith(`${sender.toLowerCase()}@`)) return; // the reconciler's nick
        received.push(body);
        const to = groupchat ? from.split("/")[0]! : from;
        void session
          .send(
            xml(
              "message",
              { to, type: groupchat ? "groupchat" : "chat" },
              xml("body", {}, forge.reply),
              thread ? xml("thread", {}, thread) : undefined,
            ),
          )
          .catch(() => undefined);
      },
      onOnline: async () => {
        if (options.announcePresence) await session.send(xml("presence"));
      },
      onLost: () => undefined,
    },
  );
  await session.start();
  return {
    fullJid: `${account.user}@${server.domain}/${account.resource}`,
    received,
    async joinRoom(room, nick) {
      const joined = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no self-presence from ${room}`)), 10_000);
        joins.set(room.toLowerCase(), () => {
          clearTimeout(timer);
          resolve();
        });
      });
      await session.send(
        xml(
          "presence",
          { to: `${room}/${nick}` },
          xml("x", { xmlns: NS_MUC }, xml("history", { maxstanzas: "0" })),
        ),
      );
      await joined;
    },
    async makeSemiAnonymous(room) {
      await session.client.iqCaller.request(
        xml(
          "iq",
          { to: room, type: "set" },
          xml(
            "query",
            { xmlns: `${NS_MUC}#owner` },
            xml(
              "x",
              { xmlns: "jabber:x:data", type: "submit" },
              xml("field", { var: "FORM_TYPE" }, xml("value", {}, `${NS_MUC}#roomconfig`)),
              xml("field", { var: "muc#roomconfig_whois" }, xml("value", {}, "moderators")),
            ),
          ),
        ),
      );
    },
    forgeReplies(from, reply) {
      forge = { from: from.toLowerCase(), reply };
    },
    chat: (to, body) => session.send(xml("message", { to, type: "chat" }, xml("body", {}, body))),
    close: () => session.close(),
  };
}

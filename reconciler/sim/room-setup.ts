/**
 * Group rooms set up the way the README tells an operator to, over plain XEP-0045 (so it works on
 * Prosody and ejabberd alike): the reconciler creates each room, makes it members-only, non-anonymous,
 * persistent and without history, and makes the group's switches its members, before any switch joins.
 * A room named in `openRooms` is left open to anyone (a misconfiguration, for testing `reconciler doctor`).
 */
import { readFileSync } from "node:fs";
import { type Client, type Element, xml } from "@xmpp/client";
import type { Fabric } from "../src/fabric/types.ts";
import { createXmppClient, startXmppClient, stopXmppClient } from "../src/transport/index.ts";

const MUC = "http://jabber.org/protocol/muc";
const MUC_USER = "http://jabber.org/protocol/muc#user";
const MUC_OWNER = "http://jabber.org/protocol/muc#owner";
const MUC_ADMIN = "http://jabber.org/protocol/muc#admin";

export interface RoomSetup {
  server: { host: string; port: number; domain: string; caFile: string };
  owner: { user: string; password: string };
  rooms: { room: string; members: string[] }[];
  openRooms?: string[];
}

/** A fabric's group rooms, each with its group's switches as members (what setUpRooms takes). */
export function fabricRooms(fabric: Fabric): RoomSetup["rooms"] {
  return Object.values(fabric.groups).map((g) => ({
    room: `${g.name}@${fabric.xmpp.mucService}`,
    members: g.members.map((m) => `${fabric.devices[m]!.xmpp.user}@${fabric.xmpp.domain}`),
  }));
}

/** What each room's configuration form gets (fields a server does not have are left out). */
function wanted(open: boolean): Record<string, string> {
  return {
    "muc#roomconfig_membersonly": open ? "0" : "1",
    "muc#roomconfig_whois": "anyone",
    "muc#roomconfig_persistentroom": "1",
    // an open room is the misconfigured one: it keeps the server's default history too
    ...(open ? {} : { "muc#roomconfig_historylength": "0" }),
    "muc#roomconfig_publicroom": "0",
  };
}

export async function setUpRooms(o: RoomSetup): Promise<void> {
  const client = createXmppClient({
    host: o.server.host,
    port: o.server.port,
    domain: o.server.domain,
    resource: "room-setup",
    tls: "starttls",
    credentials: { kind: "password", username: o.owner.user, password: o.owner.password },
    tlsMaterial: { ca: [readFileSync(o.server.caFile, "utf8")] },
  });
  await startXmppClient(client, `${o.owner.user} (room set-up)`, o.server.caFile);
  try {
    for (const r of o.rooms)
      await setUpRoom(client, r.room, r.members, o.openRooms?.includes(r.room) ?? false);
  } finally {
    await stopXmppClient(client);
  }
}

async function setUpRoom(client: Client, room: string, members: string[], open: boolean): Promise<void> {
  const self = `${room}/${client.jid?.local ?? "owner"}`;
  const joined = nextStanza(
    client,
    (s) => s.is("presence") && s.attrs.from === self && s.getChild("x", MUC_USER) !== undefined,
  );
  await client.send(
    xml("presence", { to: self }, xml("x", { xmlns: MUC }, xml("history", { maxstanzas: "0" }))),
  );
  await joined;
  const form = await client.iqCaller.request(
    xml("iq", { type: "get", to: room }, xml("query", { xmlns: MUC_OWNER })),
  );
  const have = new Set(
    form
      .getChild("query", MUC_OWNER)
      ?.getChild("x", "jabber:x:data")
      ?.getChildren("field")
      .map((f) => f.attrs.var ?? "") ?? [],
  );
  const fields = Object.entries(wanted(open)).filter(([name]) => have.has(name));
  await client.iqCaller.request(
    xml(
      "iq",
      { type: "set", to: room },
      xml(
        "query",
        { xmlns: MUC_OWNER },
        xml(
          "x",
          { xmlns: "jabber:x:data", type: "submit" },
          xml("field", { var: "FORM_TYPE" }, xml("value", {}, "http://jabber.org/protocol/muc#roomconfig")),
          ...fields.map(([name, value]) => xml("field", { var: name }, xml("value", {}, value))),
        ),
      ),
    ),
  );
  // one item per request: Prosody 0.12 applies only the first item of a muc#admin set
  for (const jid of members) {
    await client.iqCaller.request(
      xml(
        "iq",
        { type: "set", to: room },
        xml("query", { xmlns: MUC_ADMIN }, xml("item", { affiliation: "member", jid })),
      ),
    );
  }
  await client.send(xml("presence", { to: self, type: "unavailable" }));
}

function nextStanza(x: Client, match: (s: Element) => boolean, timeoutMs = 10_000): Promise<Element> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      x.off("stanza", on);
      reject(new Error("no answer from the room within the time limit"));
    }, timeoutMs);
    const on = (s: Element) => {
      if (!match(s)) return;
      clearTimeout(timer);
      x.off("stanza", on);
      resolve(s);
    };
    x.on("stanza", on);
  });
}

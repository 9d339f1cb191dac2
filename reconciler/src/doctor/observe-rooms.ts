/**
 * The group rooms as the reconciler sees them (XEP-0045): disco#info features (members-only,
 * non-anonymous), the owner's configuration form (history length), the member list (muc#admin).
 * Nothing is sent into a room: a message there would run on every switch in it.
 */
import { type Client, type Element, xml } from "@xmpp/client";
import type { RoomObservation } from "./types.ts";

const DISCO_INFO = "http://jabber.org/protocol/disco#info";
const MUC_OWNER = "http://jabber.org/protocol/muc#owner";
const MUC_ADMIN = "http://jabber.org/protocol/muc#admin";
const MUC = "http://jabber.org/protocol/muc";
/** Form fields that carry a room's history length (Prosody: muc#roomconfig_historylength). */
const HISTORY_FIELDS = ["muc#roomconfig_historylength", "muc#maxhistoryfetch"];

export interface RoomTarget {
  group: string;
  room: string;
  /** The group's switches in git, as bare JIDs. */
  expected: string[];
}

export async function observeRoom(
  client: Client,
  t: RoomTarget,
  timeoutMs: number,
): Promise<RoomObservation> {
  const base = { group: t.group, room: t.room, expected: t.expected };
  let info: Element;
  try {
    info = await client.iqCaller.request(
      xml("iq", { type: "get", to: t.room }, xml("query", { xmlns: DISCO_INFO })),
      timeoutMs,
    );
  } catch (error) {
    return { ...base, error: `cannot look at the room: ${conditionOf(error)} (does it exist?)` };
  }
  const features = new Set(
    info
      .getChild("query", DISCO_INFO)
      ?.getChildren("feature")
      .map((f) => f.attrs.var ?? "") ?? [],
  );
  let history = await historyLength(client, t.room, timeoutMs);
  if (history.historyLength === undefined) {
    // no form field (ejabberd keeps history_size per service): see what a joining switch would get
    const replayed = await historyOnJoin(client, t.room, timeoutMs);
    history =
      typeof replayed === "number" && replayed > 0
        ? { historyLength: replayed, historyNote: `replayed ${replayed} messages on join` }
        : {
            historyNote:
              typeof replayed === "number"
                ? "no history field, and nothing was replayed on join (there may be no traffic yet)"
                : `no history field, and joining failed: ${replayed.error}`,
          };
  }
  return {
    ...base,
    membersOnly: features.has("muc_membersonly") && !features.has("muc_open"),
    nonAnonymous: features.has("muc_nonanonymous") && !features.has("muc_semianonymous"),
    ...history,
    members: await members(client, t.room, timeoutMs),
  };
}

async function historyLength(
  client: Client,
  room: string,
  timeoutMs: number,
): Promise<Pick<RoomObservation, "historyLength" | "historyNote">> {
  try {
    const form = await client.iqCaller.request(
      xml("iq", { type: "get", to: room }, xml("query", { xmlns: MUC_OWNER })),
      timeoutMs,
    );
    const fields =
      form.getChild("query", MUC_OWNER)?.getChild("x", "jabber:x:data")?.getChildren("field") ?? [];
    const field = fields.find((f) => HISTORY_FIELDS.includes(f.attrs.var ?? ""));
    if (!field)
      return { historyNote: "the room form has no history field; check the server's history setting" };
    const value = Number(field.getChildText("value"));
    return Number.isFinite(value) ? { historyLength: value } : { historyNote: "unreadable history value" };
  } catch (error) {
    return { historyNote: `the owner form is not readable: ${conditionOf(error)}` };
  }
}

/**
 * Joins with a request for up to 20 history messages (XEP-0045 §7.2.15: history comes after the
 * occupants' presence and before the subject) and counts the delayed messages; leaves again. Nothing is
 * sent into the room.
 */
async function historyOnJoin(
  client: Client,
  room: string,
  timeoutMs: number,
): Promise<number | { error: string }> {
  const self = `${room}/doctor-${process.pid}`;
  let replayed = 0;
  let error: string | undefined;
  await new Promise<void>((resolve) => {
    const done = () => {
      clearTimeout(timer);
      client.off("stanza", on);
      resolve();
    };
    const timer = setTimeout(done, Math.min(timeoutMs, 3000));
    const on = (s: Element) => {
      if (s.attrs.from?.split("/")[0] !== room) return;
      if (s.is("presence") && s.attrs.type === "error") {
        error =
          (s.getChild("error")?.children.find((c) => typeof c !== "string") as Element | undefined)?.name ??
          "error";
        done();
      } else if (s.is("message") && s.getChild("delay", "urn:xmpp:delay")) replayed++;
      else if (s.is("message") && s.getChild("subject") !== undefined) done();
    };
    client.on("stanza", on);
    void client
      .send(xml("presence", { to: self }, xml("x", { xmlns: MUC }, xml("history", { maxstanzas: "20" }))))
      .catch(() => done());
  });
  await client.send(xml("presence", { to: self, type: "unavailable" })).catch(() => undefined);
  return error ? { error } : replayed;
}

async function members(client: Client, room: string, timeoutMs: number): Promise<RoomObservation["members"]> {
  try {
    const list = await client.iqCaller.request(
      xml(
        "iq",
        { type: "get", to: room },
        xml("query", { xmlns: MUC_ADMIN }, xml("item", { affiliation: "member" })),
      ),
      timeoutMs,
    );
    return (list.getChild("query", MUC_ADMIN)?.getChildren("item") ?? [])
      .map((item) => (item.attrs.jid ?? "").split("/")[0]!.toLowerCase())
      .filter(Boolean)
      .sort();
  } catch (error) {
    return { error: conditionOf(error) };
  }
}

function conditionOf(error: unknown): string {
  const e = error as { condition?: string; message?: string };
  return e.condition ?? e.message ?? String(error);
}

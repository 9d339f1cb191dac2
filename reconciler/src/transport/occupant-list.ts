/**
 * A room's occupants with their real JIDs, asked of the room (XEP-0045 §8.5: a moderator may request the
 * occupants of a role; in a non-anonymous room each item carries the nick and the real JID).
 *
 * Needed where the room does not broadcast participants' presence (Prosody
 * `muc_room_default_presence_broadcast = { moderator = true }`, ejabberd `presence_broadcast: [moderator]`,
 * which cut a big room's joins from O(N²) presence stanzas to O(N); reference/xmpp-prosody.md item 8): the
 * reconciler then sees no switch's presence in the room, and presence alone cannot tie a reply to a switch.
 * A reply from a nick we know nothing about waits here while the room is asked once; the messages that
 * came meanwhile are handed back in their order.
 */
import { type Element, xml } from "@xmpp/client";

const NS_MUC_ADMIN = "http://jabber.org/protocol/muc#admin";
/** Roles whose occupants can speak in a room (visitors cannot in a moderated one, and are not asked). */
const SPEAKING_ROLES = ["participant", "moderator"];
/** Messages held per room while its list is asked; beyond it they are dropped (a flood is no reply). */
const MAX_HELD = 10_000;

export interface OccupantListDeps {
  /** An IQ get; resolves with the result, rejects with the error reply or a timeout. */
  request(iq: Element): Promise<Element>;
  /** The room answered: nick → real full JID. */
  onListed(room: string, occupants: Map<string, string>): void;
  /** The room refused (we are no moderator there) or did not answer. */
  onRefused(room: string, reason: string): void;
  /** A held message, handed back after onListed or onRefused. */
  redeliver(message: Element): void;
}

export class OccupantList {
  readonly #held = new Map<string, Element[]>();

  constructor(readonly deps: OccupantListDeps) {}

  /** Holds `message` until the room's list is in; the first held message of a room asks for it. */
  hold(room: string, message: Element): void {
    const held = this.#held.get(room);
    if (held) {
      if (held.length < MAX_HELD) held.push(message);
      return;
    }
    this.#held.set(room, [message]);
    void listOccupants(this.deps.request, room).then(
      (occupants) => this.#release(room, () => this.deps.onListed(room, occupants)),
      (error: unknown) => this.#release(room, () => this.deps.onRefused(room, reasonOf(error))),
    );
  }

  isHolding(room: string): boolean {
    return this.#held.has(room);
  }

  /** The stream is gone: what was held belongs to requests that failed as transport-lost. */
  clear(): void {
    this.#held.clear();
  }

  #release(room: string, settle: () => void): void {
    const held = this.#held.get(room);
    this.#held.delete(room);
    if (!held) return; // cleared meanwhile
    settle();
    for (const message of held) this.deps.redeliver(message);
  }
}

async function listOccupants(
  request: (iq: Element) => Promise<Element>,
  room: string,
): Promise<Map<string, string>> {
  const answers = await Promise.all(
    SPEAKING_ROLES.map((role) =>
      request(
        xml("iq", { type: "get", to: room }, xml("query", { xmlns: NS_MUC_ADMIN }, xml("item", { role }))),
      ),
    ),
  );
  const occupants = new Map<string, string>();
  for (const answer of answers) {
    for (const item of answer.getChild("query", NS_MUC_ADMIN)?.getChildren("item") ?? []) {
      const { nick, jid } = item.attrs;
      if (nick && jid) occupants.set(String(nick), String(jid));
    }
  }
  return occupants;
}

function reasonOf(error: unknown): string {
  const e = error as { condition?: string; name?: string; message?: string };
  return e.condition ?? (e.name === "TimeoutError" ? "no answer" : (e.message ?? String(error)));
}

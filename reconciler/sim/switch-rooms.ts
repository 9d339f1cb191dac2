/**
 * A simulated switch's switch-group rooms: join with no history, leave when the config drops the line,
 * and remember occupants' real JIDs so a command can be checked against the authorized senders.
 */
import { type Element, jid, xml } from "@xmpp/client";

const NS_MUC = "http://jabber.org/protocol/muc";
const NS_MUC_USER = "http://jabber.org/protocol/muc#user";

interface Room {
  joined: boolean;
  occupants: Map<string, string | undefined>; // nick → real bare JID
  waiters: (() => void)[];
}

export class SwitchRooms {
  readonly #rooms = new Map<string, Room>();

  constructor(
    readonly nick: string,
    readonly send: (s: Element) => Promise<void>,
    readonly joinTimeoutMs = 20_000,
  ) {}

  has(room: string): boolean {
    return this.#rooms.has(room);
  }

  joined(): string[] {
    return [...this.#rooms].filter(([, r]) => r.joined).map(([name]) => name);
  }

  realJid(room: string, nick: string): string | undefined {
    return this.#rooms.get(room)?.occupants.get(nick);
  }

  /** Makes the joined set equal `wanted`; resolves when every join is confirmed (or timed out). */
  async sync(wanted: string[]): Promise<void> {
    const want = new Set(wanted);
    const leaving = [...this.#rooms.keys()].filter((r) => !want.has(r));
    for (const room of leaving) {
      this.#rooms.delete(room);
      await this.send(xml("presence", { to: `${room}/${this.nick}`, type: "unavailable" })).catch(
        () => undefined,
      );
    }
    await Promise.all([...want].filter((r) => !this.#rooms.get(r)?.joined).map((r) => this.#join(r)));
  }

  /** The stream is new: we are in no room any more. */
  reset(): void {
    for (const room of this.#rooms.values()) {
      room.joined = false;
      room.occupants.clear();
    }
  }

  async #join(name: string): Promise<void> {
    let room = this.#rooms.get(name);
    if (!room) {
      room = { joined: false, occupants: new Map(), waiters: [] };
      this.#rooms.set(name, room);
    }
    const r = room;
    const joined = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.joinTimeoutMs);
      r.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
    await this.send(
      xml(
        "presence",
        { to: `${name}/${this.nick}` },
        xml("x", { xmlns: NS_MUC }, xml("history", { maxstanzas: "0" })),
      ),
    ).catch(() => undefined);
    await joined;
  }

  /** Room presence; true when the stanza was about one of our rooms. */
  handlePresence(stanza: Element): boolean {
    const from = stanza.attrs.from;
    if (!from) return false;
    const j = jid(from);
    const room = this.#rooms.get(j.bare().toString().toLowerCase());
    if (!room) return false;
    if (stanza.attrs.type === "error" && j.resource === this.nick) {
      room.joined = false;
      for (const w of room.waiters.splice(0)) w();
      return true;
    }
    const x = stanza.getChild("x", NS_MUC_USER);
    if (j.resource === this.nick && (x?.getChildren("status") ?? []).some((s) => s.attrs.code === "110")) {
      room.joined = stanza.attrs.type !== "unavailable";
      for (const w of room.waiters.splice(0)) w();
      return true;
    }
    if (stanza.attrs.type === "unavailable") room.occupants.delete(j.resource);
    else {
      const real = x?.getChild("item")?.attrs.jid;
      room.occupants.set(j.resource, real ? jid(real).bare().toString().toLowerCase() : undefined);
    }
    return true;
  }
}

/**
 * The group rooms (MUC, XEP-0045) the reconciler sits in to send group commands: joined on first use and
 * again after every reconnect, with no history (old commands must never be replayed). Tracks occupants so a
 * reply can be mapped to its switch by the occupant's real JID when the room shows it.
 */
import { type Element, jid, xml } from "@xmpp/client";

const NS_MUC = "http://jabber.org/protocol/muc";
const NS_MUC_USER = "http://jabber.org/protocol/muc#user";

export interface RoomState {
  room: string; // bare room JID
  nick: string;
  joined: boolean;
  /** nick → real bare JID (undefined when the room hides real JIDs) */
  occupants: Map<string, string | undefined>;
  joining?: Promise<void>;
}

type Send = (stanza: Element) => Promise<void>;

export class RoomBook {
  readonly #rooms = new Map<string, RoomState>();
  readonly #waiters = new Map<string, { resolve: () => void; reject: (e: Error) => void }>();

  constructor(
    readonly baseNick: string,
    readonly joinTimeoutMs = 10_000,
  ) {}

  get(room: string): RoomState | undefined {
    return this.#rooms.get(room.toLowerCase());
  }

  isRoom(bareJid: string): boolean {
    return this.#rooms.has(bareJid.toLowerCase());
  }

  all(): RoomState[] {
    return [...this.#rooms.values()];
  }

  /** Joins (once; concurrent callers share the join). Throws when the room refuses us. */
  ensureJoined(room: string, send: Send): Promise<void> {
    const key = room.toLowerCase();
    let state = this.#rooms.get(key);
    if (!state) {
      state = { room: key, nick: this.baseNick, joined: false, occupants: new Map() };
      this.#rooms.set(key, state);
    }
    if (state.joined) return Promise.resolve();
    state.joining ??= this.#join(state, send).finally(() => {
      if (state) state.joining = undefined;
    });
    return state.joining;
  }

  /** After a reconnect: the new stream is in no room. */
  markAllLeft(): void {
    for (const state of this.#rooms.values()) {
      state.joined = false;
      state.occupants.clear();
    }
    for (const w of this.#waiters.values()) w.reject(new Error("connection lost while joining"));
    this.#waiters.clear();
  }

  async #join(state: RoomState, send: Send): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const joined = new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => {
          this.#waiters.delete(state.room);
          reject(new Error(`no answer from ${state.room} within ${this.joinTimeoutMs} ms`));
        }, this.joinTimeoutMs);
        this.#waiters.set(state.room, {
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
          reject: (e) => {
            clearTimeout(timer);
            reject(e);
          },
        });
      });
      await send(
        xml(
          "presence",
          { to: `${state.room}/${state.nick}` },
          xml("x", { xmlns: NS_MUC }, xml("history", { maxstanzas: "0" })),
        ),
      );
      try {
        await joined;
        state.joined = true;
        return;
      } catch (error) {
        // 409: the nick is taken (a second reconciler, or a switch with our user name): try another
        if ((error as { conflict?: boolean }).conflict) state.nick = `${this.baseNick}-${attempt + 2}`;
        else throw error;
      }
    }
    throw new Error(`cannot join ${state.room}: nickname taken`);
  }

  /** Presence from a room: occupants, our own join (status 110) or a join error. */
  handlePresence(stanza: Element): void {
    const from = stanza.attrs.from;
    if (!from) return;
    const j = jid(from);
    const state = this.#rooms.get(j.bare().toString().toLowerCase());
    if (!state) return;
    const nick = j.resource;
    if (stanza.attrs.type === "error") {
      const waiter = this.#waiters.get(state.room);
      if (!waiter || nick !== state.nick) return;
      this.#waiters.delete(state.room);
      const error = stanza.getChild("error");
      const condition = error?.children.find((c) => typeof c !== "string" && c.name !== "text");
      const name = typeof condition === "object" ? condition.name : "error";
      waiter.reject(
        Object.assign(new Error(`${state.room} refused the join: ${name}`), {
          conflict: name === "conflict",
        }),
      );
      return;
    }
    const x = stanza.getChild("x", NS_MUC_USER);
    const codes = new Set((x?.getChildren("status") ?? []).map((s) => s.attrs.code));
    if (nick === state.nick && codes.has("110")) {
      const waiter = this.#waiters.get(state.room);
      this.#waiters.delete(state.room);
      waiter?.resolve();
      return;
    }
    if (stanza.attrs.type === "unavailable") {
      state.occupants.delete(nick);
      return;
    }
    const real = x?.getChild("item")?.attrs.jid;
    state.occupants.set(nick, real ? jid(real).bare().toString().toLowerCase() : undefined);
  }

  /** The real bare JID behind a nickname, when the room shows it. */
  realJid(room: string, nick: string): string | undefined {
    return this.#rooms.get(room.toLowerCase())?.occupants.get(nick);
  }
}

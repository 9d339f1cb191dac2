/**
 * The group rooms (MUC, XEP-0045) the reconciler sits in to send group commands: joined on first use and
 * again after every reconnect, with no history (old commands must never be replayed). Tracks occupants so a
 * reply can be mapped to its switch by the occupant's real JID. A nickname proves nothing (anyone may join
 * as `leaf1`), so a room must be non-anonymous: the join must carry status 100 (XEP-0045 §7.2.3: "any
 * occupant is allowed to see the user's full JID"), and a room that turns (semi-)anonymous later (status
 * 173/174 in a room message, §10.2.1) is not used until it turns back (172).
 */
import { type Element, jid, xml } from "@xmpp/client";
import { RoomAnonymousError } from "./errors.ts";

const NS_MUC = "http://jabber.org/protocol/muc";
const NS_MUC_USER = "http://jabber.org/protocol/muc#user";

export interface RoomState {
  room: string; // bare room JID
  nick: string;
  joined: boolean;
  /** The room shows every occupant's real JID to every occupant (status 100 on join, 172 later). */
  isNonAnonymous: boolean;
  /** nick → real full JID, bare part lower-cased (undefined when the room hides it), from presence */
  occupants: Map<string, string | undefined>;
  /**
   * nick → real full JID, from the room's occupant list (occupant-list.ts) for occupants whose presence
   * the room does not broadcast. Asked again for every group request: no presence says when one leaves.
   */
  listed: Map<string, string>;
  /** The occupant list was asked during the current group request (answered or refused). */
  isListed: boolean;
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
      state = {
        room: key,
        nick: this.baseNick,
        joined: false,
        isNonAnonymous: false,
        occupants: new Map(),
        listed: new Map(),
        isListed: false,
      };
      this.#rooms.set(key, state);
    }
    if (state.joined)
      return state.isNonAnonymous
        ? Promise.resolve()
        : Promise.reject(new RoomAnonymousError(undefined, key));
    state.joining ??= this.#join(state, send).finally(() => {
      if (state) state.joining = undefined;
    });
    return state.joining;
  }

  /** After a reconnect: the new stream is in no room. */
  markAllLeft(): void {
    for (const state of this.#rooms.values()) {
      state.joined = false;
      state.isNonAnonymous = false;
      state.occupants.clear();
      this.forgetListed(state.room);
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
        if (!state.isNonAnonymous) throw new RoomAnonymousError(undefined, state.room);
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
      state.isNonAnonymous = codes.has("100");
      const waiter = this.#waiters.get(state.room);
      this.#waiters.delete(state.room);
      waiter?.resolve();
      return;
    }
    state.listed.delete(nick); // presence speaks for this occupant from now on
    if (stanza.attrs.type === "unavailable") {
      state.occupants.delete(nick);
      return;
    }
    const real = x?.getChild("item")?.attrs.jid;
    state.occupants.set(nick, real ? normaliseFullJid(real) : undefined);
  }

  /** A message from the room itself: a configuration change may make it (non-)anonymous. */
  handleRoomMessage(stanza: Element): void {
    const state = this.get(
      jid(stanza.attrs.from ?? "")
        .bare()
        .toString(),
    );
    const x = stanza.getChild("x", NS_MUC_USER);
    if (!state || !x) return;
    const codes = new Set(x.getChildren("status").map((s) => s.attrs.code));
    if (codes.has("172")) state.isNonAnonymous = true;
    if (codes.has("173") || codes.has("174")) state.isNonAnonymous = false;
  }

  /** Whether replies in the room can be tied to switches (it shows real JIDs). */
  isUsable(room: string): boolean {
    return this.get(room)?.isNonAnonymous === true;
  }

  /** The real full JID behind a nickname, when the room shows it. */
  realJid(room: string, nick: string): string | undefined {
    const state = this.#rooms.get(room.toLowerCase());
    return state?.occupants.get(nick) ?? state?.listed.get(nick);
  }

  /** Whether presence or the occupant list named this occupant. */
  knows(room: string, nick: string): boolean {
    const state = this.#rooms.get(room.toLowerCase());
    return state !== undefined && (state.occupants.has(nick) || state.listed.has(nick));
  }

  /** The room's occupant list arrived (empty when the room refused it). */
  setListed(room: string, occupants: Map<string, string>): void {
    const state = this.#rooms.get(room.toLowerCase());
    if (!state) return;
    state.listed = new Map([...occupants].map(([nick, real]) => [nick, normaliseFullJid(real)]));
    state.isListed = true;
  }

  wasListed(room: string): boolean {
    return this.#rooms.get(room.toLowerCase())?.isListed === true;
  }

  /** A new group request: who is in the room is asked again when presence does not tell. */
  forgetListed(room: string): void {
    const state = this.#rooms.get(room.toLowerCase());
    if (!state) return;
    state.listed.clear();
    state.isListed = false;
  }
}

/** `user@domain/resource` with the bare part lower-cased (JID local and domain parts are case-insensitive). */
export function normaliseFullJid(address: string): string {
  const slash = address.indexOf("/");
  return slash < 0
    ? address.toLowerCase()
    : `${address.slice(0, slash).toLowerCase()}${address.slice(slash)}`;
}

/**
 * Which switches are online, from presence. The reconciler and each switch subscribe to each other's
 * presence (roster subscription, stored by the server), so after every login the server tells the
 * reconciler which switches are available, and tells it again when one comes or goes.
 *
 * Presence also says which session speaks for a switch: the one full JID its account announced. Requests
 * go there and only its replies count; a second announced session of the account is a conflict to report
 * (whoever else holds the switch's password could otherwise answer for it).
 */
import { type Element, xml } from "@xmpp/client";
import { bareJidOf } from "./bare-jid.ts";
import { normaliseFullJid } from "./rooms.ts";

/** Who speaks for a switch now: nobody announced, exactly one session, or several (a conflict). */
export type SwitchSession =
  | { kind: "none" }
  | { kind: "one"; full: string }
  | { kind: "many"; fulls: string[] };

/** How long after a contact's first presence on a stream its other sessions' presence may still come. */
const PRESENCE_BURST_MS = 100;

export class PresenceBook {
  /** bare JID → device name */
  readonly #names = new Map<string, string>();
  /** bare JID → available full JIDs (announced by presence; bare part lower-cased) */
  readonly #available = new Map<string, Set<string>>();
  /** bare JIDs that sent us a message on this stream (online, though presence may not have said so) */
  readonly #heard = new Set<string>();
  /** bare JID → callers waiting for its first presence on this stream */
  readonly #waiting = new Map<string, (() => void)[]>();
  /** Contacts whose presence the server will send (roster subscription to/both); undefined: roster not in yet */
  #expected: Set<string> | undefined;

  constructor(devices: Iterable<[name: string, bareJid: string]>) {
    for (const [name, bare] of devices) this.learn(name, bare);
  }

  learn(name: string, bareJid: string): void {
    this.#names.set(bareJid.toLowerCase(), name);
  }

  nameOf(bareJid: string): string | undefined {
    return this.#names.get(bareJid.toLowerCase());
  }

  /** True when presence says so; undefined when we have heard nothing about the switch. */
  isOnline(bareJid: string): boolean | undefined {
    const bare = bareJid.toLowerCase();
    const set = this.#available.get(bare);
    if (set && set.size > 0) return true;
    if (this.#heard.has(bare)) return true;
    return set === undefined ? undefined : false;
  }

  /**
   * The roster of this stream arrived: presence is to be expected only from these contacts (those we
   * are subscribed to). Requests waiting for any other switch go ahead now.
   */
  expectPresenceFrom(bareJids: Iterable<string>): void {
    this.#expected = new Set([...bareJids].map((b) => b.toLowerCase()));
    for (const [bare, list] of this.#waiting) {
      if (this.#expected.has(bare)) continue;
      this.#waiting.delete(bare);
      for (const done of list) done();
    }
  }

  /**
   * Resolves when the switch's presence is known on this stream (it announced a session or said it is
   * unavailable), when the roster says none will come, or at `deadline` (epoch ms). Right after login
   * the server is still sending the roster's presence: a request sent before would go to the bare JID,
   * where any session of the account may answer it first.
   */
  whenKnown(bareJid: string, deadline: number): Promise<void> {
    const bare = bareJid.toLowerCase();
    const wait = deadline - Date.now();
    if (this.#available.has(bare) || wait <= 0) return Promise.resolve();
    if (this.#expected && !this.#expected.has(bare)) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, wait);
      const list = this.#waiting.get(bare) ?? [];
      list.push(done);
      this.#waiting.set(bare, list);
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  /** The session that speaks for the switch, from presence. */
  session(bareJid: string): SwitchSession {
    const set = this.#available.get(bareJid.toLowerCase());
    if (!set || set.size === 0) return { kind: "none" };
    const fulls = [...set];
    return fulls.length === 1 ? { kind: "one", full: fulls[0]! } : { kind: "many", fulls };
  }

  onlineDevices(): Set<string> {
    const out = new Set<string>();
    for (const [bare, set] of this.#available) {
      const name = this.#names.get(bare);
      if (name && set.size > 0) out.add(name);
    }
    for (const bare of this.#heard) {
      const name = this.#names.get(bare);
      if (name) out.add(name);
    }
    return out;
  }

  /** A new stream: what we knew is stale until the server sends presence again. */
  reset(): void {
    this.#available.clear();
    this.#heard.clear();
    this.#expected = undefined;
    for (const list of this.#waiting.values()) for (const done of list) done();
    this.#waiting.clear();
  }

  /** A message came from this full JID: the switch is online (which session speaks for it is presence's). */
  sawMessageFrom(fullJid: string): void {
    const bare = bareJidOf(fullJid);
    if (this.#names.has(bare)) this.#heard.add(bare);
  }

  /**
   * Handles a presence stanza from a known switch. Returns the stanzas to send back: a switch asking to
   * subscribe is approved and asked in return, so presence flows both ways from then on.
   */
  handle(stanza: Element): Element[] {
    const from = stanza.attrs.from;
    if (!from) return [];
    const bare = bareJidOf(from);
    if (!this.#names.has(bare)) return [];
    const type = stanza.attrs.type;
    if (type === "subscribe") {
      return [
        xml("presence", { to: bare, type: "subscribed" }),
        xml("presence", { to: bare, type: "subscribe" }),
      ];
    }
    if (type === undefined || type === "unavailable") {
      this.#mark(bare, normaliseFullJid(from), type === undefined);
      // The server answers our login with every session of a contact back to back: let the rest of the
      // burst arrive before a waiting request picks "the" session, or a second one would go unseen.
      const waiting = this.#waiting.get(bare);
      this.#waiting.delete(bare);
      if (waiting)
        setTimeout(() => {
          for (const done of waiting) done();
        }, PRESENCE_BURST_MS);
    }
    return [];
  }

  #mark(bare: string, full: string, available: boolean): void {
    let set = this.#available.get(bare);
    if (!set) {
      set = new Set();
      this.#available.set(bare, set);
    }
    if (full.toLowerCase() === bare) {
      if (!available) {
        set.clear();
        this.#heard.delete(bare);
      }
      return;
    }
    if (available) set.add(full);
    else set.delete(full);
    if (set.size === 0) this.#heard.delete(bare);
  }
}

/**
 * Which switches are online, from presence. The reconciler and each switch subscribe to each other's
 * presence (roster subscription, stored by the server), so after every login the server tells the
 * reconciler which switches are available, and tells it again when one comes or goes.
 */
import { type Element, jid, xml } from "@xmpp/client";

export class PresenceBook {
  /** bare JID → device name */
  readonly #names = new Map<string, string>();
  /** bare JID → available full JIDs */
  readonly #available = new Map<string, Set<string>>();
  /** bare JID → the last resource that talked or announced itself (we address requests there). */
  readonly #lastResource = new Map<string, string>();

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
    const set = this.#available.get(bareJid.toLowerCase());
    return set === undefined ? undefined : set.size > 0;
  }

  /** Full JID to address (the last one seen), or the bare JID. */
  address(bareJid: string): string {
    return this.#lastResource.get(bareJid.toLowerCase()) ?? bareJid;
  }

  onlineDevices(): Set<string> {
    const out = new Set<string>();
    for (const [bare, set] of this.#available) {
      const name = this.#names.get(bare);
      if (name && set.size > 0) out.add(name);
    }
    return out;
  }

  /** A new stream: what we knew is stale until the server sends presence again. */
  reset(): void {
    this.#available.clear();
    this.#lastResource.clear();
  }

  /** A message came from this full JID: it is online. */
  sawMessageFrom(fullJid: string): void {
    const slash = fullJid.indexOf("/");
    if (slash < 0) return;
    const bare = fullJid.slice(0, slash).toLowerCase();
    if (!this.#names.has(bare) || this.#available.get(bare)?.has(fullJid)) return;
    this.#mark(bare, fullJid, true);
  }

  /**
   * Handles a presence stanza from a known switch. Returns the stanzas to send back: a switch asking to
   * subscribe is approved and asked in return, so presence flows both ways from then on.
   */
  handle(stanza: Element): Element[] {
    const from = stanza.attrs.from;
    if (!from) return [];
    const j = jid(from);
    const bare = j.bare().toString().toLowerCase();
    if (!this.#names.has(bare)) return [];
    const type = stanza.attrs.type;
    if (type === "subscribe") {
      return [
        xml("presence", { to: bare, type: "subscribed" }),
        xml("presence", { to: bare, type: "subscribe" }),
      ];
    }
    if (type === undefined || type === "unavailable") this.#mark(bare, from, type === undefined);
    return [];
  }

  #mark(bare: string, full: string, available: boolean): void {
    let set = this.#available.get(bare);
    if (!set) {
      set = new Set();
      this.#available.set(bare, set);
    }
    if (full.toLowerCase() === bare) {
      if (!available) set.clear();
      return;
    }
    if (available) {
      set.add(full);
      this.#lastResource.set(bare, full);
    } else {
      set.delete(full);
      if (this.#lastResource.get(bare) === full) this.#lastResource.delete(bare);
    }
  }
}

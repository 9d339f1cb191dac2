/**
 * Group requests: one groupchat to the group's room, one reply per member (DESIGN §8). Replies are
 * collected per member until all answered or the time is up; a member that did not answer is a failure
 * with its name. One group request in flight per room (the caller serialises).
 */
import { type Element, xml } from "@xmpp/client";
import { type Deferred, deferred, Exchange } from "./correlation.ts";
import {
  OfflineError,
  ReplyTooLargeError,
  SessionConflictError,
  TimeoutError,
  type TransportError,
  TransportLostError,
} from "./errors.ts";
import { replyError } from "./reply.ts";

export type GroupReply = { ok: true; text: string } | { ok: false; error: TransportError };

interface PendingGroup {
  room: string;
  threads: string[];
  exchanges: Map<string, Exchange>; // device → its replies
  results: Map<string, GroupReply>;
  done: Deferred<Map<string, GroupReply>>;
}

/** A member of a group request: the session its replies must come from, or why it cannot take part. */
export interface GroupMember {
  device: string;
  /** The full JID the switch announced (unset: the first of its sessions that answers). */
  boundTo?: string;
  /** Known before sending (two sessions of its account): the member's result, it is not asked. */
  refused?: TransportError;
}

export interface GroupDeps {
  nextThread(): string;
  /** Bound of one member's reply, in bytes (xmpp.maxReplySize). */
  maxReplyBytes?: number;
  send(stanzas: Element[]): Promise<void>;
  /** Presence: false when the member is known to be offline. */
  isOnline(device: string): boolean | undefined;
}

export class GroupRequests {
  readonly #byThread = new Map<string, PendingGroup>();
  readonly #byRoom = new Map<string, PendingGroup>();

  constructor(readonly deps: GroupDeps) {}

  async request(
    room: string,
    targets: GroupMember[],
    bodies: string[],
    timeoutMs: number,
    terminated = false,
  ): Promise<Map<string, GroupReply>> {
    const members = targets.map((t) => t.device);
    const threads = bodies.map(() => this.deps.nextThread());
    const pending: PendingGroup = {
      room,
      threads,
      exchanges: new Map(
        targets.map((t) => [
          t.device,
          new Exchange(t.device, threads, {
            terminated,
            boundTo: t.boundTo,
            maxBytes: this.deps.maxReplyBytes,
          }),
        ]),
      ),
      results: new Map(),
      done: deferred(),
    };
    if (members.length === 0 || bodies.length === 0) return new Map();
    for (const t of targets) if (t.refused) pending.results.set(t.device, { ok: false, error: t.refused });
    if (pending.results.size === members.length) return this.#ordered(pending, members);
    for (const t of threads) this.#byThread.set(t, pending);
    this.#byRoom.set(room, pending);
    const timer = setTimeout(() => {
      for (const [device, exchange] of pending.exchanges) {
        if (pending.results.has(device)) continue;
        const error =
          this.deps.isOnline(device) === false
            ? new OfflineError(device, "no reply; presence says unavailable")
            : new TimeoutError(device, timeoutMs, exchange.text);
        pending.results.set(device, { ok: false, error });
      }
      pending.done.resolve(this.#ordered(pending, members));
    }, timeoutMs);
    try {
      const stanzas = bodies.map((body, i) =>
        xml(
          "message",
          { to: room, type: "groupchat", id: threads[i] },
          xml("body", {}, body),
          xml("thread", {}, threads[i]),
        ),
      );
      this.deps.send(stanzas).catch(() => this.#failPending(pending, (d) => new TransportLostError(d)));
      const results = await pending.done.promise;
      return this.#ordered({ ...pending, results }, members);
    } finally {
      clearTimeout(timer);
      for (const t of threads) this.#byThread.delete(t);
      if (this.#byRoom.get(room) === pending) this.#byRoom.delete(room);
    }
  }

  /** A group request to `room` is waiting for replies. */
  isPending(room: string): boolean {
    return this.#byRoom.has(room);
  }

  /** Every member of the room's request that has not answered fails with `error`. */
  failRoom(room: string, error: (device: string) => TransportError): void {
    const pending = this.#byRoom.get(room);
    if (pending) this.#failPending(pending, error);
  }

  ownsThread(thread: string): boolean {
    return this.#byThread.has(thread);
  }

  /**
   * A member's reply, in the room or by chat, from its session `sender` (full JID; in a room, the
   * occupant's real JID). False when it belongs to no group request. A reply from another session of the
   * member's account is the member's failure, never its answer.
   */
  handleReply(
    room: string | undefined,
    device: string,
    text: string,
    thread: string | undefined,
    sender: string,
  ): boolean {
    let pending: PendingGroup | undefined;
    if (thread !== undefined) pending = this.#byThread.get(thread);
    else if (room !== undefined) pending = this.#byRoom.get(room);
    else pending = [...this.#byRoom.values()].find((p) => p.exchanges.has(device) && !p.results.has(device));
    const exchange = pending?.exchanges.get(device);
    if (!pending || !exchange || pending.results.has(device)) return false;
    if (!exchange.bind(sender)) {
      const error = new SessionConflictError(device, [exchange.boundTo ?? "", sender]);
      this.#settle(pending, device, { ok: false, error });
      return true;
    }
    const state = exchange.add(text, thread);
    if (state === "too-large")
      this.#settle(pending, device, { ok: false, error: new ReplyTooLargeError(device, exchange.maxBytes) });
    else if (state === "complete") {
      const error = replyError(device, exchange.text);
      this.#settle(pending, device, error ? { ok: false, error } : { ok: true, text: exchange.text });
    }
    return true;
  }

  /** The room bounced our message (we are not in it, or it refuses us): every member fails. */
  handleBounce(id: string, condition: string): boolean {
    const pending = this.#byThread.get(id);
    if (!pending) return false;
    this.#failPending(
      pending,
      (d) => new TransportLostError(d, `${pending.room} refused the message (${condition})`),
    );
    return true;
  }

  #settle(pending: PendingGroup, device: string, reply: GroupReply): void {
    pending.results.set(device, reply);
    if (pending.results.size === pending.exchanges.size) pending.done.resolve(pending.results);
  }

  failAll(error: (device: string) => TransportError): void {
    for (const p of new Set(this.#byThread.values())) this.#failPending(p, error);
  }

  #failPending(pending: PendingGroup, error: (device: string) => TransportError): void {
    for (const device of pending.exchanges.keys()) {
      if (!pending.results.has(device)) pending.results.set(device, { ok: false, error: error(device) });
    }
    pending.done.resolve(pending.results);
  }

  #ordered(pending: PendingGroup, members: string[]): Map<string, GroupReply> {
    const out = new Map<string, GroupReply>();
    for (const m of members) {
      const r = pending.results.get(m);
      if (r) out.set(m, r);
    }
    return out;
  }
}

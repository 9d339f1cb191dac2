/** Requests to one switch: chat messages to its JID, one request in flight per switch. */
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

interface Pending {
  exchange: Exchange;
  done: Deferred<string>;
}

export interface DirectDeps {
  nextThread(): string;
  send(stanzas: Element[]): Promise<void>;
  isOnline(): boolean;
  /** Bound of one reply, in bytes (xmpp.maxReplySize). */
  maxReplyBytes?: number;
}

export interface DirectTarget {
  /** The address to send to: the full JID the switch announced, or its bare JID when none is known. */
  address: string;
  /** The full JID replies must come from (unset: the first session that answers). */
  boundTo?: string;
}

export class DirectRequests {
  readonly #byThread = new Map<string, Pending>();
  readonly #byDevice = new Map<string, Pending>();

  constructor(readonly deps: DirectDeps) {}

  /** Sends the bodies in order to the target and waits for the answer. The caller serialises per device. */
  async request(
    device: string,
    target: DirectTarget,
    bodies: string[],
    timeoutMs: number,
    terminated = false,
  ): Promise<string> {
    if (bodies.length === 0) return "";
    if (!this.deps.isOnline()) throw new TransportLostError(device, "not connected to the XMPP server");
    const threads = bodies.map(() => this.deps.nextThread());
    const pending: Pending = {
      exchange: new Exchange(device, threads, {
        terminated,
        boundTo: target.boundTo,
        maxBytes: this.deps.maxReplyBytes,
      }),
      done: deferred<string>(),
    };
    for (const t of threads) this.#byThread.set(t, pending);
    this.#byDevice.set(device, pending);
    const timer = setTimeout(
      () => pending.done.reject(new TimeoutError(device, timeoutMs, pending.exchange.text)),
      timeoutMs,
    );
    try {
      const stanzas = bodies.map((body, i) =>
        xml(
          "message",
          { to: target.address, type: "chat", id: threads[i] },
          xml("body", {}, body),
          xml("thread", {}, threads[i]),
        ),
      );
      this.deps.send(stanzas).catch(() => pending.done.reject(new TransportLostError(device)));
      return await pending.done.promise;
    } finally {
      clearTimeout(timer);
      for (const t of threads) this.#byThread.delete(t);
      if (this.#byDevice.get(device) === pending) this.#byDevice.delete(device);
    }
  }

  ownsThread(thread: string): boolean {
    return this.#byThread.has(thread);
  }

  hasInFlight(device: string): boolean {
    return this.#byDevice.has(device);
  }

  /**
   * A chat reply from `device`'s session `sender` (full JID). Returns false when it belongs to no request
   * of ours. A reply from another session of the switch's account fails the request: it is not the switch.
   */
  handleReply(device: string, text: string, thread: string | undefined, sender: string): boolean {
    const pending = thread !== undefined ? this.#byThread.get(thread) : this.#byDevice.get(device);
    if (!pending || pending.exchange.device !== device) return false;
    const { exchange } = pending;
    if (!exchange.bind(sender)) {
      pending.done.reject(new SessionConflictError(device, [exchange.boundTo ?? "", sender]));
      return true;
    }
    const state = exchange.add(text, thread);
    if (state === "too-large") pending.done.reject(new ReplyTooLargeError(device, exchange.maxBytes));
    else if (state === "complete") {
      const full = exchange.text;
      const error = replyError(device, full);
      if (error) pending.done.reject(error);
      else pending.done.resolve(full);
    }
    return true;
  }

  /** A bounced message (`type="error"`, same id/thread). */
  handleBounce(id: string, condition: string): boolean {
    const pending = this.#byThread.get(id);
    if (!pending) return false;
    pending.done.reject(new OfflineError(pending.exchange.device, condition));
    return true;
  }

  failAll(error: (device: string) => TransportError): void {
    for (const p of new Set(this.#byThread.values())) p.done.reject(error(p.exchange.device));
  }
}

/**
 * Matching replies to requests (DESIGN §8). Whether EOS echoes a message's <thread> is not documented, so:
 * every message carries a fresh <thread>; a reply that brings one back is matched by it (and a reply with an
 * unknown thread is a late answer to a request that timed out: dropped); a reply without one goes to the
 * request in flight for that switch, which works because there is at most one per switch (and per room).
 *
 * When a request is several messages (per-sender mode, or a split multiline script) the switch answers only
 * the lines that print: errors on the way, and the last line, which must print (the script contract; the
 * transport appends a terminator that always prints, see reply.ts). With threads, the request completes
 * on the last message's thread. Without, it completes on the reply that ends with the terminator's output
 * (or, with no terminator, on the first reply with a non-error line), or when every message was answered. A reply that comes after its request
 * timed out, from a switch that does not echo threads, is taken by the switch's next request (a known
 * limit of thread-less correlation: rollout guards every change by its config-session name).
 */
import type { TransportError } from "./errors.ts";
import { endsWithTerminator, hasOutput, stripTerminator } from "./reply.ts";

/** Default bound of one request's reply (xmpp.maxReplySize): 8 MiB, 8× the largest real config seen. */
export const DEFAULT_MAX_REPLY_BYTES = 8 * 1024 * 1024;

export interface ExchangeOptions {
  /** The script ends with the terminator (reply.ts): its output marks the end and is removed. */
  terminated?: boolean;
  /** The full JID the request went to (the session the switch announced); unset: the first to answer. */
  boundTo?: string;
  maxBytes?: number;
}

/** The replies of one switch to one request. */
export class Exchange {
  readonly replies: string[] = [];
  complete = false;
  readonly terminated: boolean;
  readonly maxBytes: number;
  #bytes = 0;
  #boundTo: string | undefined;

  constructor(
    readonly device: string,
    /** One per message sent, in order. */
    readonly threads: string[],
    options: ExchangeOptions = {},
  ) {
    this.terminated = options.terminated ?? false;
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_REPLY_BYTES;
    this.#boundTo = options.boundTo;
  }

  get boundTo(): string | undefined {
    return this.#boundTo;
  }

  /**
   * True when `sender` (a full JID) may answer this request: the session it was sent to, or, when it
   * went to the bare JID, the first session that answers (which it is bound to from then on).
   */
  bind(sender: string): boolean {
    this.#boundTo ??= sender;
    return this.#boundTo === sender;
  }

  /** Adds a reply: whether the request is now answered in full, or its reply grew past `maxBytes`. */
  add(text: string, thread: string | undefined): "partial" | "complete" | "too-large" {
    if (this.complete) return "complete";
    this.#bytes += Buffer.byteLength(text, "utf8");
    if (this.#bytes > this.maxBytes) return "too-large";
    this.replies.push(text);
    if (thread !== undefined) this.complete = thread === this.threads.at(-1);
    else
      this.complete =
        this.threads.length === 1 ||
        (this.terminated ? endsWithTerminator(text) : hasOutput(text)) ||
        this.replies.length >= this.threads.length;
    return this.complete ? "complete" : "partial";
  }

  get text(): string {
    const text = this.replies.join("\n");
    return this.terminated ? stripTerminator(text) : text;
  }
}

export interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: TransportError): void;
}

export function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: TransportError) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Thread ids: unique per transport instance, so replies meant for an earlier process are never matched. */
export function threadIds(prefix: string): () => string {
  let n = 0;
  return () => `${prefix}-${(++n).toString(36)}`;
}

/**
 * Stanzas that can wait (presence subscription answers), sent a chunk at a time behind a ping.
 *
 * A server handles one client's stanzas in the order they arrive. On the reconciler's first login to a
 * fabric every switch's subscription request arrives at once, and each answer is a roster write on the
 * server, which Prosody's file storage does by rewriting the whole roster: O(switches) per answer,
 * O(switches²) for all. Sent at once, the 2,000 answers for 1,000 switches sat in front of every request
 * sent after them, and the requests timed out (issue 14: sw200 … sw999 "unreachable" while online). So
 * each chunk ends with a ping (XEP-0199), and the next chunk waits for its answer: the server has then
 * processed the chunk, and a request never waits behind more than one chunk. And the chunks go out
 * only when no request has run for a while (`idle`, transport.ts): on a server busy with roster writes,
 * the writes the answers cause would slow every reply of a run (at 1,000 switches the server did not
 * answer a keep-alive ping for 30 s; at 200, chunks sent into a rollout's short gaps doubled it). The
 * reconciler does not need them to reach a switch (a request to the bare JID reaches it), but presence
 * is what shows a second session of a switch's account, so what no quiet second let out goes when the
 * session closes (flush), for a bounded time; the rest the server asks for again at the next login.
 */
import type { Element } from "@xmpp/client";

export interface PacedDeps {
  send(stanzas: Element[]): Promise<void>;
  /** Resolves when no request is in flight, nor was for a while: answers go out between runs. */
  idle(): Promise<void>;
  /** Resolves when the server answered a ping sent after everything before it (any answer will do). */
  ping(): Promise<void>;
  /** Stanzas per chunk. */
  chunk: number;
}

export class PacedSender {
  #queue: Element[] = [];
  #draining = false;
  #drained: Promise<void> = Promise.resolve();
  /** Set by flush(): the session is closing, so the answers go now instead of waiting for quiet. */
  #isClosing = false;
  #stopWaiting: () => void = () => undefined;
  readonly #closing = new Promise<void>((resolve) => {
    this.#stopWaiting = resolve;
  });

  constructor(readonly deps: PacedDeps) {}

  /**
   * The session is about to close: sends what is queued, chunk by chunk behind pings as always, without
   * waiting for quiet, for at most `limitMs`. What is left the server asks for again at the next login.
   * First contact is then paid once, after the run's work, instead of inside the next run's rollout.
   */
  async flush(limitMs: number): Promise<void> {
    this.#isClosing = true;
    this.#stopWaiting();
    if (this.#queue.length === 0 && !this.#draining) return;
    if (!this.#draining) this.#drained = this.#drain();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.#drained,
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, limitMs);
      }),
    ]).finally(() => clearTimeout(timer));
    this.#queue = []; // the stream closes now: the rest is the next login's
  }

  get pending(): number {
    return this.#queue.length;
  }

  push(stanzas: Element[]): void {
    this.#queue.push(...stanzas);
    if (!this.#draining) this.#drained = this.#drain();
  }

  /** The stream is gone: a new one gets the requests again from the server. */
  clear(): void {
    this.#queue = [];
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) {
        // A backlog of one chunk goes at once: a small fabric's first contact (or one switch added
        // later) costs a few roster writes, and its switches' presence is known within the same run.
        if (!this.#isClosing && this.#queue.length > this.deps.chunk)
          await Promise.race([this.deps.idle(), this.#closing]);
        const chunk = this.#queue.splice(0, this.deps.chunk);
        if (chunk.length === 0) break;
        try {
          await this.deps.send(chunk);
          await this.deps.ping();
        } catch {
          // Lost stream or no answer: the server re-sends pending requests on the next login.
        }
      }
    } finally {
      this.#draining = false;
    }
  }
}

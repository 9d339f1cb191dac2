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
 * answer a keep-alive ping for 30 s; at 200, chunks sent into a rollout's short gaps doubled it). A CLI
 * run that ends first leaves them to the next login, where the server asks again; the reconciler does
 * not need them to reach a switch (a request to the bare JID reaches it). `serve` answers them between
 * runs; a fabric run only from the CLI keeps its first contact until the rosters are provisioned.
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

  constructor(readonly deps: PacedDeps) {}

  get pending(): number {
    return this.#queue.length;
  }

  push(stanzas: Element[]): void {
    this.#queue.push(...stanzas);
    if (!this.#draining) void this.#drain();
  }

  /** The stream is gone: a new one gets the requests again from the server. */
  clear(): void {
    this.#queue = [];
  }

  async #drain(): Promise<void> {
    this.#draining = true;
    try {
      while (this.#queue.length > 0) {
        await this.deps.idle();
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

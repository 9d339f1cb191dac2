import type { Logger } from "pino";

export interface PollerOptions {
  /** The tracked branch's head after a fetch (FabricSource.headOf: simple-git fetch + rev-parse). */
  headOf: () => Promise<string>;
  intervalMs: number;
  /** Called when the head moved since the last poll. */
  onHead: (sha: string) => void;
  logger: Logger;
}

export interface Poller {
  /** One poll now (tests, and the first poll at start). */
  poll(): Promise<void>;
  stop(): void;
}

/**
 * Watches the tracked branch for repos whose webhooks cannot reach the service. The first head it
 * sees is the baseline, not a change: applying at start-up would also undo drift where the fabric
 * does not allow self-heal. A push the webhook reported already is dropped by the run queue.
 */
export function startPoller(options: PollerOptions): Poller {
  let last: string | undefined;
  let polling: Promise<void> | undefined;
  const poll = (): Promise<void> => {
    polling ??= (async () => {
      try {
        const head = await options.headOf();
        if (last === undefined) options.logger.info({ head }, "poller: tracking the branch");
        else if (head !== last) {
          options.logger.info({ from: last, head }, "poller: the branch moved");
          options.onHead(head);
        }
        last = head;
      } catch (error) {
        options.logger.warn(
          { err: error },
          "poller: cannot read the branch head; trying again next interval",
        );
      } finally {
        polling = undefined;
      }
    })();
    return polling;
  };
  const timer = setInterval(() => void poll(), options.intervalMs);
  timer.unref();
  return {
    poll,
    stop: () => clearInterval(timer),
  };
}

/**
 * Reconnect delays: exponential with "equal jitter" (half fixed, half random), so hundreds of clients that
 * lost the same server do not come back in lock-step. @xmpp/reconnect retries every 1000 ms forever.
 */

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  factor: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 250, maxMs: 30_000, factor: 2 };

/** Delay before reconnect attempt `attempt` (0-based); `random` in [0, 1). */
export function backoffDelay(
  attempt: number,
  o: BackoffOptions = DEFAULT_BACKOFF,
  random = Math.random(),
): number {
  const ceiling = Math.min(o.maxMs, o.initialMs * o.factor ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

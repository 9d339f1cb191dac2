import type { Clock } from "./types.ts";

export const systemClock: Clock = { now: () => new Date() };

/** Always the same instant (an ISO 8601 time): freeze decisions in tests do not depend on the day. */
export function fixedClock(at: string | Date): Clock {
  const instant = new Date(at);
  if (Number.isNaN(instant.getTime())) throw new Error(`not a time: ${String(at)}`);
  return { now: () => new Date(instant) };
}

/** A sliding one-hour window per rule and for all rules together (the fabric's maxChangesPerHour). */
export interface ChangeBudget {
  /** Whether one more change of `rule` fits now; if not, which limit it hits. */
  check(rule: string, limit: number, now: number): "ok" | "rule" | "global";
  /** Counts a change that was made. */
  spend(rule: string, now: number): void;
}

const HOUR_MS = 3_600_000;

export function createChangeBudget(globalLimit: () => number): ChangeBudget {
  const all: number[] = [];
  const byRule = new Map<string, number[]>();
  const recent = (times: number[], now: number) => {
    while (times.length > 0 && times[0]! <= now - HOUR_MS) times.shift();
    return times.length;
  };
  return {
    check(rule, limit, now) {
      if (recent(byRule.get(rule) ?? [], now) >= limit) return "rule";
      if (recent(all, now) >= globalLimit()) return "global";
      return "ok";
    },
    spend(rule, now) {
      all.push(now);
      byRule.set(rule, [...(byRule.get(rule) ?? []), now]);
    },
  };
}

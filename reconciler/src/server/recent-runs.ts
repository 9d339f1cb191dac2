/**
 * The service's memory of its recent runs, for the status page: what ran, on which revision, how it
 * ended, and the full report as the terminal shows it (secrets already redacted). Bounded: the journal
 * on disk is the history; this is what the page shows.
 */
export interface RecentRun {
  id: string;
  kind: "plan" | "apply" | "drift" | "command" | "release";
  trigger: string;
  sha?: string;
  pullNumber?: number;
  startedAt: string;
  finishedAt?: string;
  outcome?: string;
  /** One line for lists and commit statuses. */
  summary?: string;
  /** The full report, plain text, secrets redacted. */
  report?: string;
  /** The switches the run looked at or changed (links from the run page). */
  devices?: string[];
}

export interface RecentRuns {
  start(run: Omit<RecentRun, "startedAt">): RecentRun;
  finish(id: string, fields: Pick<RecentRun, "outcome" | "summary" | "report" | "sha" | "devices">): void;
  list(): RecentRun[];
  get(id: string): RecentRun | undefined;
}

export function recentRuns(capacity = 50): RecentRuns {
  const runs: RecentRun[] = [];
  return {
    start(run) {
      const entry: RecentRun = { ...run, startedAt: new Date().toISOString() };
      runs.unshift(entry);
      runs.length = Math.min(runs.length, capacity);
      return entry;
    },
    finish(id, fields) {
      const run = runs.find((r) => r.id === id);
      if (run) Object.assign(run, fields, { finishedAt: new Date().toISOString() });
    },
    list: () => [...runs],
    get: (id) => runs.find((r) => r.id === id),
  };
}

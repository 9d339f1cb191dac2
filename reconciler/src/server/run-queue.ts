import type { CommentCommand } from "../pr-workflow/index.ts";

/**
 * One run at a time per fabric (DESIGN §7, §11). Webhooks, the poller and cron only request a run
 * (Flux `requestedAt`); requests that arrive while a run is going are coalesced per slot — one
 * apply, one drift check, one plan per PR — and the newest revision wins. A request for what is
 * already running or pending, or for the revision last applied, is a duplicate and is dropped:
 * that is how a push seen by both the webhook and the poller runs once.
 */

export type Job =
  | {
      kind: "plan";
      /** `comment`: a `/reconciler plan`, planned within the command's run. */
      trigger: "pull-request" | "comment";
      pullNumber: number;
      sha: string;
      isFork: boolean;
      /** The PR's title, for the status page (untrusted text: always escaped). */
      title?: string;
    }
  /**
   * `force`: run even when this revision was applied last (putting the switches back to the tracked
   * branch after a PR's applied change was closed unmerged). `deferred`: the revisions and merged PRs
   * whose apply waited for a fabric hold, told the outcome of this one.
   */
  | {
      kind: "apply";
      /** `comment`: a `/reconciler heal`, applied within the command's run. */
      trigger: "push" | "poll" | "pull-request" | "event" | "comment";
      sha: string;
      force?: boolean;
      deferred?: { shas: string[]; pulls: number[] };
    }
  | { kind: "drift"; trigger: "schedule"; heal: boolean }
  /** A `/reconciler …` PR comment (pr-workflow). */
  | {
      kind: "command";
      trigger: "comment";
      pullNumber: number;
      commentId: number;
      commenter: string;
      command: CommentCommand;
    }
  /**
   * A PR against the tracked branch was closed: it releases its hold on the fabric, if it has one; merged
   * while another PR holds the fabric, its apply waits (`mergeSha`: the commit GitHub merged it as).
   */
  | {
      kind: "release";
      trigger: "pull-request";
      pullNumber: number;
      merged: boolean;
      closedBy?: string;
      mergeSha?: string;
    };

export type RequestResult = "queued" | "coalesced" | "duplicate" | "closed";

export interface RunQueue {
  request(job: Job): RequestResult;
  /** Resolves when nothing runs and nothing is pending. */
  idle(): Promise<void>;
  /**
   * Stops taking work and drops what is pending; waits up to `graceMs` for the current run.
   * "abandoned" means the run was still going: the switches' commit timers roll back whatever it
   * did not confirm, and the next run verifies.
   */
  close(graceMs: number): Promise<"idle" | "finished" | "abandoned">;
  current(): Job | undefined;
}

export function slotOf(job: Job): string {
  if (job.kind === "plan") return `plan:${job.pullNumber}`;
  // Every comment is answered; a PR's closing is handled once.
  if (job.kind === "command") return `command:${job.commentId}`;
  if (job.kind === "release") return `release:${job.pullNumber}`;
  return job.kind;
}

/** Same slot and same revision: a plan or apply that is already running or waiting. */
function sameRevision(a: Job | undefined, b: Job): boolean {
  return a !== undefined && slotOf(a) === slotOf(b) && "sha" in a && "sha" in b && a.sha === b.sha;
}

/**
 * The newer request replaces the waiting one, except what the waiting apply promised: to run although
 * applied before (`force`), and to tell the deferred revisions and PRs its outcome.
 */
function coalesce(waiting: Job, job: Job): Job {
  if (waiting.kind !== "apply" || job.kind !== "apply") return job;
  const force = waiting.force || job.force;
  const shas = [...new Set([...(waiting.deferred?.shas ?? []), ...(job.deferred?.shas ?? [])])];
  const pulls = [...new Set([...(waiting.deferred?.pulls ?? []), ...(job.deferred?.pulls ?? [])])];
  return {
    ...job,
    ...(force ? { force } : {}),
    ...(shas.length + pulls.length > 0 ? { deferred: { shas, pulls } } : {}),
  };
}

export function createRunQueue(
  execute: (job: Job) => Promise<void>,
  onError: (job: Job, error: unknown) => void,
): RunQueue {
  const pending = new Map<string, Job>();
  let running: Job | undefined;
  let runningPromise: Promise<void> | undefined;
  let lastApplied: string | undefined;
  let closed = false;
  let idleWaiters: (() => void)[] = [];

  const pump = (): void => {
    if (running || closed) return;
    const next = pending.entries().next();
    if (next.done) {
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
      return;
    }
    const [slot, job] = next.value;
    pending.delete(slot);
    running = job;
    if (job.kind === "apply") lastApplied = job.sha;
    runningPromise = execute(job)
      .catch((error: unknown) => onError(job, error))
      .finally(() => {
        running = undefined;
        runningPromise = undefined;
        pump();
      });
  };

  return {
    request(job) {
      if (closed) return "closed";
      const waiting = pending.get(slotOf(job));
      // A drift check has no revision: one may wait behind a running one, and that is enough.
      if (
        job.kind === "drift"
          ? waiting !== undefined
          : sameRevision(running, job) || sameRevision(waiting, job)
      ) {
        return "duplicate";
      }
      if (job.kind === "apply" && !job.force && job.sha === lastApplied) return "duplicate";
      pending.set(slotOf(job), waiting ? coalesce(waiting, job) : job);
      queueMicrotask(pump);
      return waiting ? "coalesced" : "queued";
    },
    idle() {
      if (!running && pending.size === 0) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async close(graceMs) {
      closed = true;
      pending.clear();
      const current = runningPromise;
      for (const resolve of idleWaiters) resolve();
      idleWaiters = [];
      if (!current) return "idle";
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"abandoned">((resolve) => {
        timer = setTimeout(() => resolve("abandoned"), graceMs);
      });
      const result = await Promise.race([current.then(() => "finished" as const), timeout]);
      clearTimeout(timer);
      return result;
    },
    current: () => running,
  };
}

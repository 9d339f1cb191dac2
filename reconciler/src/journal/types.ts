import type { PlanSummary, Revision } from "../plan/types.ts";
import type { Trigger } from "../reconcile/types.ts";

export type RunKind = "plan" | "apply" | "drift";

/**
 * What an apply did to a switch, written as it happens (DESIGN §7): staged (in a config session, not
 * live), timer-running (live; EOS rolls it back unless confirmed), confirmed (live for good, not yet in
 * startup-config), saved (in startup-config), rolled-back (the session was aborted).
 */
export type SwitchStep = "staged" | "timer-running" | "confirmed" | "saved" | "rolled-back";

/**
 * One line of the append-only journal. A run writes `started` first and `finished` last; an apply
 * writes a `step` record between them each time switches reach a step (`devices[].outcome` is the step).
 * A `checkpoint` opens each journal segment after the first (file-journal.ts): what the runs still need
 * of the segments before it.
 */
export interface JournalRecord {
  runId: string;
  kind: RunKind;
  event: "started" | "step" | "finished" | "checkpoint";
  /** For a step record: the config session the steps happened in. */
  session?: string;
  at: string;
  fabric: string;
  trigger: Trigger;
  pid: number;
  revision?: Revision;
  outcome?: string;
  message?: string;
  summary?: PlanSummary;
  /** Per-switch outcome (apply) or status (plan, drift). */
  devices?: { device: string; outcome: string; reason?: string }[];
  durationMs?: number;
  /** An apply or heal that ran during a freeze window by explicit override: who, why, which windows. */
  freezeOverride?: { by: string; reason: string; windows: string[] };
  /** An apply or heal that ran by explicit override while a PR held the fabric: who, why, which PR and head. */
  holdOverride?: { by: string; reason: string; pullNumber: number; sha: string };
  /** A checkpoint: since when each switch drifted without a break, as the segments before it said. */
  driftingSince?: Record<string, string>;
  /**
   * A checkpoint: how many records after it are carried over (the records of runs not finished when the
   * segment began), and where the segment before it ended when it was read (later lines there count too).
   */
  carried?: number;
  carriedFrom?: { segment: string; bytes: number };
}

/** Small on purpose (DESIGN §11): a file today, a database table when replicas share runs. */
export interface Journal {
  append(record: JournalRecord): Promise<void>;
  /** What runs need: the newest segment, whose checkpoint sums up the older ones. */
  read(): Promise<JournalRecord[]>;
  /** For listing runs: back through older segments until `runs` runs have started, or there are no more. */
  readRecent(runs: number): Promise<JournalRecord[]>;
}

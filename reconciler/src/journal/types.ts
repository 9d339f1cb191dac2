import type { PlanSummary, Revision } from "../plan/types.ts";
import type { Trigger } from "../reconcile/types.ts";

export type RunKind = "plan" | "apply" | "drift";

/** One line of the append-only journal. A run writes `started` first and `finished` last. */
export interface JournalRecord {
  runId: string;
  kind: RunKind;
  event: "started" | "finished";
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
}

/** Small on purpose (DESIGN §11): a file today, a database table when replicas share runs. */
export interface Journal {
  append(record: JournalRecord): Promise<void>;
  read(): Promise<JournalRecord[]>;
}

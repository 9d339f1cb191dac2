import type { Revision } from "../plan/types.ts";
import type { RecoveryNote } from "./recover.ts";

/**
 * What happened to one switch during apply. Reports say exactly which switches changed, which
 * rolled back and which were untouched.
 */
export type DeviceOutcome =
  | "changed" // committed and verified
  | "in-sync" // nothing to do
  | "rolled-back" // the session was aborted or its commit timer expired: running config as before
  | "untouched" // never contacted for changes (rollout stopped earlier, or unreachable at plan time)
  | "unknown"; // contact lost after commit timer started; the timer protects it, the next run verifies

/**
 * The config session as the switch's replies showed it (not as the reconciler asked for it):
 * none (never opened), pending (staged), committed-with-timer (live, rolls back unless confirmed),
 * confirmed, aborted, committed-outside (committed without the reconciler's commit timer: by a line
 * of the script, an operator or another process; live, and nothing rolls it back), unknown.
 */
export type SessionState =
  | "none"
  | "pending"
  | "committed-with-timer"
  | "confirmed"
  | "aborted"
  | "committed-outside"
  | "unknown";

export interface DeviceResult {
  device: string;
  outcome: DeviceOutcome;
  wave: number;
  /** The last session state the switch's own replies showed (absent: the rollout never reached it). */
  session?: SessionState;
  /** Why it did not change, or what went wrong. */
  reason?: string;
  durationMs?: number;
}

export type RunOutcome = "succeeded" | "nothing-to-do" | "failed" | "refused" | "interrupted";

export interface RolloutResult {
  kind: "apply";
  runId: string;
  fabric: string;
  revision: Revision;
  outcome: RunOutcome;
  startedAt: string;
  finishedAt: string;
  devices: DeviceResult[];
  /** XMPP messages sent (for the per-group factoring figures). */
  messages: number;
  /** A one-line reason when the outcome is not success. */
  message?: string;
  /** What this run finished for applies that died before (from their journal steps and the switches). */
  recovered?: RecoveryNote[];
  /** The journal could not be written during the run: what was done is above, the record is incomplete. */
  journalError?: string;
}

import type { SectionDiff } from "../drift/scope-diffs.ts";
import type { DeviceFraming } from "../framing/types.ts";

/**
 * The Plan: what a run would change, as data (DESIGN §5). Every reporter renders this type and
 * never recomputes it; `apply` executes exactly its batches.
 */

/** Where the desired state came from. Every result carries it. */
export interface Revision {
  /** Full commit sha, or "worktree" for an uncommitted directory. */
  sha: string;
  /** Branch, tag or other name the user asked for, when there was one. */
  ref?: string;
  /** Local path or remote URL of the desired-state repo. */
  source: string;
}

export type DeviceStatus = "changes" | "in-sync" | "unreachable" | "error";

/** One switch's part of the plan. */
export interface DevicePlan {
  device: string;
  status: DeviceStatus;
  /** sha256 of the running config the plan was computed from; apply refuses when it changed. */
  runningHash?: string;
  /** The full remediation of this switch (its group batches + its own batch, in order). */
  commands: string[];
  /** Managed-scope text the switch must show after apply (secrets included: never rendered as is). */
  predicted?: string;
  /** Unified diff of the managed scope, running → intended, secrets redacted (for reports). */
  diff?: string;
  /** The same difference per managed section (only sections that differ), for the compliance matrix. */
  sections?: SectionDiff[];
  /** What the change stops on the switch while it runs (a routing instance replaced), redacted. */
  disruptions?: string[];
  /** Why the switch could not be planned (unreachable, invalid config …). */
  error?: { code: string; message: string };
  /** The CLI framing the switch is sent (multiline / per-sender) and how it is known (configured, detected …). */
  framing?: DeviceFraming;
}

export type BatchTarget =
  | { kind: "group"; group: string; members: string[] }
  | { kind: "device"; device: string };

/** A list of commands sent in one message: to a group's room, or to one switch. */
export interface Batch {
  id: string;
  target: BatchTarget;
  /** Rollout wave (0 = canary). */
  wave: number;
  commands: string[];
}

export interface PlanSummary {
  devices: number;
  changed: number;
  inSync: number;
  unreachable: number;
  errors: number;
  batches: number;
  groupBatches: number;
  /** Command lines summed over all switches (what a naive per-switch push would send). */
  commands: number;
  /** XMPP messages apply will send, counting one per group batch. */
  messages: number;
}

export interface Plan {
  kind: "plan";
  version: 1;
  fabric: string;
  revision: Revision;
  createdAt: string;
  /** The waves in rollout order: device names per wave (wave 0 is the canary). */
  waves: string[][];
  /** The managed sections of the fabric (fabric.yaml `managed`), in its order: the matrix columns. */
  managed?: string[];
  /** Each switch's groups, in membership order: how the status page groups switches. */
  membership?: Record<string, string[]>;
  devices: DevicePlan[];
  batches: Batch[];
  summary: PlanSummary;
  /**
   * Connection settings (xmpp host, port, CA, TLS mode, secret references …) this revision changes.
   * They are untrusted until merged: the plan was made with the tracked branch's settings.
   */
  settingsChangeOnMerge?: string[];
}

export function planHasChanges(plan: Plan): boolean {
  return plan.summary.changed > 0;
}

import type { FreezeWindow } from "../fabric/types.ts";

export type { FreezeWindow } from "../fabric/types.ts";

/** A window in force at a moment: since when and until when (absolute instants). */
export interface ActiveFreeze {
  window: FreezeWindow;
  startedAt: Date;
  until: Date;
}

/** Who lifted a freeze for one run, and why (journaled). */
export interface FreezeOverride {
  by: string;
  reason: string;
}

/** Whether a changing run (apply, drift --heal) may go ahead now. */
export type FreezeDecision =
  | { kind: "open" }
  | { kind: "frozen"; active: ActiveFreeze[] }
  | { kind: "overridden"; active: ActiveFreeze[]; override: FreezeOverride };

/** Where "now" comes from; tests pass a fixed one. */
export interface Clock {
  now(): Date;
}

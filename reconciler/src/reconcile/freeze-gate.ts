import type { Fabric } from "../fabric/types.ts";
import { type Clock, decideFreeze, frozenMessage } from "../freeze/index.ts";
import type { JournalRecord } from "../journal/index.ts";
import { ExitCode } from "./exit-codes.ts";
import { type RunRefusal, type RunRequest, refusal } from "./types.ts";

export type FreezeGate =
  | { ok: true; override?: NonNullable<JournalRecord["freezeOverride"]> }
  | { ok: false; refusal: RunRefusal };

/**
 * Whether a change (an apply, or a drift heal) may run now under the fabric's freeze windows. An
 * override passes only while a window is in force, and is returned so the journal records it.
 */
export function freezeGate(fabric: Fabric, clock: Clock, request: RunRequest, change: string): FreezeGate {
  const decision = decideFreeze(fabric.rollout.freeze, clock.now(), request.overrideFreeze);
  if (decision.kind === "open") return { ok: true };
  const windows = decision.active.map((a) => a.window.name);
  if (decision.kind === "overridden") return { ok: true, override: { ...decision.override, windows } };
  return {
    ok: false,
    refusal: {
      ...refusal("frozen", ExitCode.applyFailed, frozenMessage(decision.active, change)),
      freeze: decision.active.map((a) => ({
        name: a.window.name,
        reason: a.window.reason,
        timeZone: a.window.timeZone,
        until: a.until.toISOString(),
      })),
    },
  };
}

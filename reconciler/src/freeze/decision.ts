import type { ActiveFreeze, FreezeDecision, FreezeOverride, FreezeWindow } from "./types.ts";
import { activeFreezes, formatInZone } from "./windows.ts";

/**
 * Whether a changing run may go ahead at `now`: open when no window is in force; frozen when one is;
 * overridden when one is but an explicit, attributed override was given (the caller journals it).
 * Plans and drift reports never ask: they change nothing.
 */
export function decideFreeze(windows: FreezeWindow[], now: Date, override?: FreezeOverride): FreezeDecision {
  const active = activeFreezes(windows, now);
  if (active.length === 0) return { kind: "open" };
  if (override && override.reason.trim() !== "" && override.by.trim() !== "") {
    return { kind: "overridden", active, override };
  }
  return { kind: "frozen", active };
}

/** 'change freeze "year-end" until 2027-01-04 00:00 Europe/Berlin (2027-01-03T23:00:00.000Z): reason'. */
export function describeFreeze(freeze: ActiveFreeze): string {
  const { window, until } = freeze;
  return `change freeze "${window.name}" until ${formatInZone(until, window.timeZone)} (${until.toISOString()}): ${window.reason}`;
}

/** The refusal text of a frozen decision: every window in force, and how to override. */
export function frozenMessage(active: ActiveFreeze[], change: string): string {
  const windows = active.map(describeFreeze).join("; ");
  return `${change} refused during a ${windows}. Plans and drift reports still run; an emergency change needs an explicit override (\`--override-freeze "reason"\`, or the freeze-override label and an admin's apply comment)`;
}

/**
 * A frozen refusal in one line for a commit status (GitHub shows about 140 characters): the window
 * that lasts longest, until when in its own zone, and why.
 */
export function frozenStatusLine(
  windows: { name: string; reason: string; timeZone: string; until: string }[],
): string {
  const [first] = windows;
  if (!first) return "refused: a change freeze is in force";
  const more = windows.length > 1 ? ` (+${windows.length - 1} more)` : "";
  return `change freeze "${first.name}"${more} until ${formatInZone(new Date(first.until), first.timeZone)}: ${first.reason}`;
}

import { CronExpressionParser } from "cron-parser";
import { DateTime, IANAZone } from "luxon";
import type { ActiveFreeze, FreezeWindow } from "./types.ts";

/**
 * What is wrong with a window's cron expression, time zone or dates, or undefined when it is usable.
 * The schema checks the shape; this checks what only a parser can (validation calls it per window).
 */
export function freezeWindowProblem(window: FreezeWindow): { field: string; message: string } | undefined {
  if (!IANAZone.isValidZone(window.timeZone)) {
    return { field: "timeZone", message: `"${window.timeZone}" is not an IANA time zone` };
  }
  if (window.schedule.kind === "cron") {
    try {
      CronExpressionParser.parse(window.schedule.cron, { tz: window.timeZone, strict: false });
    } catch (error) {
      return {
        field: "cron",
        message: `"${window.schedule.cron}" is not a cron expression: ${(error as Error).message}`,
      };
    }
    return undefined;
  }
  const from = localInstant(window.schedule.from, window.timeZone);
  const until = localInstant(window.schedule.until, window.timeZone);
  if (!from) return { field: "from", message: `"${window.schedule.from}" is not an ISO 8601 date or time` };
  if (!until)
    return { field: "until", message: `"${window.schedule.until}" is not an ISO 8601 date or time` };
  if (until.getTime() <= from.getTime()) {
    return {
      field: "until",
      message: `until (${window.schedule.until}) is not after from (${window.schedule.from})`,
    };
  }
  return undefined;
}

/**
 * The windows in force at `now`, the one that lasts longest first. A cron window is in force from
 * each start the expression matches (in its time zone) for its duration; a range from `from` up to,
 * not including, `until`. A window with a problem (see freezeWindowProblem) never matches:
 * validation has already refused such a fabric.
 */
export function activeFreezes(windows: FreezeWindow[], now: Date): ActiveFreeze[] {
  const active: ActiveFreeze[] = [];
  for (const window of windows) {
    const span = spanAt(window, now);
    if (span && span.startedAt.getTime() <= now.getTime() && now.getTime() < span.until.getTime()) {
      active.push({ window, ...span });
    }
  }
  return active.sort((a, b) => b.until.getTime() - a.until.getTime());
}

function spanAt(window: FreezeWindow, now: Date): { startedAt: Date; until: Date } | undefined {
  if (window.schedule.kind === "range") {
    const startedAt = localInstant(window.schedule.from, window.timeZone);
    const until = localInstant(window.schedule.until, window.timeZone);
    return startedAt && until ? { startedAt, until } : undefined;
  }
  try {
    // The newest start at or before now: ask for the one before the next second (cron has minutes).
    const expression = CronExpressionParser.parse(window.schedule.cron, {
      tz: window.timeZone,
      currentDate: new Date(now.getTime() + 1000),
    });
    const startedAt = expression.prev().toDate();
    return { startedAt, until: new Date(startedAt.getTime() + window.schedule.durationMs) };
  } catch {
    return undefined;
  }
}

/** A date or date-time as written; without an offset it is local time in `zone`. */
export function localInstant(text: string, zone: string): Date | undefined {
  const parsed = DateTime.fromISO(text, { zone });
  return parsed.isValid ? parsed.toJSDate() : undefined;
}

/** "2027-01-04 00:00 Europe/Berlin": the end of a window as people in its time zone read it. */
export function formatInZone(instant: Date, zone: string): string {
  return `${DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd HH:mm")} ${zone}`;
}

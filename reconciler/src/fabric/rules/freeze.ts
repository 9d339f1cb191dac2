import { freezeWindowProblem } from "../../freeze/index.ts";
import { fabricError } from "../errors.ts";
import type { FabricError } from "../types.ts";
import { type FabricRule, fieldPosition } from "./rule.ts";

/**
 * Freeze windows whose time zone, cron expression or dates do not parse, and duplicate names (a
 * refusal names its window, so two of one name would be ambiguous).
 */
export const freezeWindowsParse: FabricRule = {
  name: "freezeWindowsParse",
  needsSettings: true,
  check(context) {
    const errors: FabricError[] = [];
    const seen = new Set<string>();
    context.fabric.rollout.freeze.forEach((window, index) => {
      const at = (field: string) =>
        fieldPosition(context, "fabric.yaml", ["rollout", "freeze", index, field]);
      const problem = freezeWindowProblem(window);
      if (problem) {
        errors.push(
          fabricError(
            "freeze-window",
            at(problem.field),
            `freeze window "${window.name}": ${problem.message}`,
            problem.field === "timeZone"
              ? 'Use a zone name from the IANA database, e.g. "UTC", "Europe/Berlin", "America/New_York".'
              : problem.field === "cron"
                ? 'Write five fields: minute hour day-of-month month day-of-week, e.g. "0 18 * * 5" (Fridays 18:00).'
                : 'Write an ISO 8601 date or date-time, e.g. "2026-12-20" or "2026-12-20T18:00", with until after from.',
          ),
        );
      }
      if (window.schedule.kind === "cron" && !(window.schedule.durationMs > 0)) {
        errors.push(
          fabricError(
            "freeze-window",
            at("duration"),
            `freeze window "${window.name}" lasts no time`,
            "Give a duration above zero, e.g. 62h or 2d12h.",
          ),
        );
      }
      if (seen.has(window.name)) {
        errors.push(
          fabricError(
            "freeze-window",
            at("name"),
            `two freeze windows are named "${window.name}"`,
            "Give each window its own name: refusals name the window in force.",
          ),
        );
      }
      seen.add(window.name);
    });
    return { errors };
  },
};

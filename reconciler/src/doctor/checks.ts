/**
 * The checks, as a table (pure): each reads the observations and gives one outcome, or one per room,
 * switch or file; its fix text says what to change, for Prosody and ejabberd where they differ. The
 * report lists them in this order.
 */
import { FABRIC_CHECKS } from "./checks-fabric.ts";
import { HOST_CHECKS } from "./checks-host.ts";
import { SERVER_CHECKS } from "./checks-server.ts";
import type { DoctorCheck } from "./outcome.ts";
import type { CheckResult, Observations } from "./types.ts";

export type { DoctorCheck } from "./outcome.ts";

export const CHECKS: DoctorCheck[] = [...SERVER_CHECKS, ...FABRIC_CHECKS, ...HOST_CHECKS];

/** Every check's outcomes, flattened into results (the report's order is the table's). */
export function evaluateChecks(o: Observations, checks: DoctorCheck[] = CHECKS): CheckResult[] {
  return checks.flatMap((c) =>
    c.evaluate(o).map((out) => ({
      check: c.id,
      title: c.title,
      status: out.status,
      ...(out.subject ? { subject: out.subject } : {}),
      detail: out.detail,
      ...(out.status === "fail" || out.status === "warn" ? { fix: c.fix } : {}),
    })),
  );
}

import { userInfo } from "node:os";
import type { FreezeOverride } from "../freeze/index.ts";
import type { CliContext } from "./context.ts";

/**
 * `--override-freeze "reason"` and `--override-hold "reason"`: the override is attributed to the
 * operating-system user who ran it, and journaled with the reason.
 */
export function operatorOverride(reason: string | undefined, ctx: CliContext): FreezeOverride | undefined {
  if (reason === undefined) return undefined;
  let by = ctx.env.USER ?? ctx.env.LOGNAME;
  if (!by) {
    try {
      by = userInfo().username;
    } catch {
      by = "unknown user";
    }
  }
  return { by: `${by} (cli)`, reason };
}

export const overrideFreezeHelp =
  'run even inside a rollout.freeze window; the reason and your user name are journaled (e.g. "INC-4711 core outage")';

export const overrideHoldHelp =
  "run even while a PR's applied-but-unmerged change holds the fabric (the service's pr-hold.json); this takes that change off the switches; the reason and your user name are journaled (e.g. \"INC-4712 revert #12 now\")";

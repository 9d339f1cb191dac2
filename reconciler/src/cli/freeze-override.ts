import { userInfo } from "node:os";
import type { FreezeOverride } from "../freeze/index.ts";
import type { CliContext } from "./context.ts";

/** `--override-freeze "reason"`: the override is attributed to the operating-system user who ran it. */
export function freezeOverrideFrom(reason: string | undefined, ctx: CliContext): FreezeOverride | undefined {
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

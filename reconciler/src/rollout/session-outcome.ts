import { compareInScope, parseConfig } from "../eos/index.ts";
import type { ManagedScope } from "../fabric/types.ts";
import { runningConfigHash } from "../plan/hash.ts";
import type { DevicePlan } from "../plan/types.ts";
import type { SwitchChannel } from "./channel.ts";
import { errorLines, listedSessionState, runningConfigIn, sessionsScript } from "./eos-session.ts";
import type { DeviceOutcome, SessionState } from "./types.ts";

export interface SessionFinding {
  outcome: DeviceOutcome;
  session: SessionState;
  reason: string;
}

/**
 * What really happened to a switch whose abort found no session to abort: verify what happened, not
 * what was asked. The switch's session table says whether the session is still there; its running
 * config says whether the change is live. A session committed behind the reconciler's back (a
 * `commit` in a script, an operator, another process) is live with no commit timer: that is
 * "changed", never "rolled back".
 */
export async function findSessionOutcome(
  channel: SwitchChannel,
  device: DevicePlan,
  session: string,
  options: { scope: ManagedScope; timeoutMs: number },
): Promise<SessionFinding> {
  const ask = async (script: string[]) => {
    try {
      const text = await channel.sendScript(device.device, script, { timeoutMs: options.timeoutMs });
      return errorLines(text).length > 0 ? undefined : text;
    } catch {
      return undefined;
    }
  };
  const table = await ask(sessionsScript());
  const listed = table === undefined ? undefined : listedSessionState(table, session);
  if (listed === "committed-with-timer")
    return {
      outcome: "unknown",
      session: listed,
      reason: `session ${session} still has a pending commit timer after the abort; the timer rolls it back`,
    };
  if (listed === "pending" || listed === "aborted")
    return {
      outcome: "rolled-back",
      session: listed,
      reason: `session ${session} is ${listed}: nothing is live`,
    };
  const running = await ask(["show running-config"]);
  if (running === undefined)
    return {
      outcome: "unknown",
      session: "unknown",
      reason: `no session ${session} to abort, and the running config could not be read`,
    };
  const text = runningConfigIn(running);
  if (device.runningHash !== undefined && runningConfigHash(text) === device.runningHash)
    return {
      outcome: "rolled-back",
      session: listed === "committed" ? "committed-outside" : "none",
      reason: `no session ${session} to abort; the running config is as before the run`,
    };
  const live = compareInScope(parseConfig(text), parseConfig(device.predicted ?? ""), options.scope);
  if (live.equal)
    return {
      outcome: "changed",
      session: "committed-outside",
      reason: `session ${session} was committed outside the reconciler (no commit timer): the change is live and nothing rolls it back`,
    };
  return {
    outcome: "unknown",
    session: listed === "committed" ? "committed-outside" : "unknown",
    reason: `no session ${session} to abort, and the running config is neither as before nor as predicted (first difference at ${live.firstDifference})`,
  };
}

import type { DeviceOutcome, RolloutResult } from "../rollout/types.ts";
import { type Style, shortSha } from "./style.ts";

const OUTCOME_COLOUR: Record<DeviceOutcome, keyof Style> = {
  changed: "green",
  "in-sync": "dim",
  "rolled-back": "yellow",
  untouched: "dim",
  unknown: "red",
};

/** Per switch: what really happened (changed, rolled back, untouched …) and why. */
export function renderRolloutText(result: RolloutResult, style: Style): string {
  const out: string[] = [];
  const verdict =
    result.outcome === "succeeded"
      ? style.green("succeeded")
      : result.outcome === "nothing-to-do"
        ? style.green("nothing to do")
        : style.red(result.outcome);
  out.push(
    style.bold(`Apply ${result.runId} of ${result.fabric} at ${shortSha(result.revision.sha)}: ${verdict}`),
  );
  if (result.message) out.push(`  ${result.message}`);
  if (result.recovered?.length) {
    out.push("  Finished for runs that died before:");
    for (const note of result.recovered) out.push(`    ${note.message}`);
  }
  const width = Math.max(...result.devices.map((d) => d.device.length), 6);
  for (const device of result.devices) {
    const colour = style[OUTCOME_COLOUR[device.outcome]] as (text: string) => string;
    const wave = device.wave >= 0 ? `wave ${device.wave}` : "      ";
    out.push(
      `  ${device.device.padEnd(width)}  ${colour(device.outcome.padEnd(11))}  ${wave}${device.reason ? `  ${device.reason}` : ""}`,
    );
  }
  out.push(`  ${result.messages} XMPP messages`);
  if (result.journalError && result.journalError !== result.message)
    out.push(style.red(`  journal: ${result.journalError}`));
  return `${out.join("\n")}\n`;
}

import { createHash } from "node:crypto";

/**
 * Hash of a running config as the switch reported it, ignoring what changes on every `show`
 * (the `! Command:`/`! device:` header comments and trailing whitespace), so that a saved plan is
 * refused only when the configuration itself changed.
 */
export function runningConfigHash(text: string): string {
  const meaningful = text
    .split("\n")
    .map((line) => line.trimEnd())
    .filter((line) => line !== "" && !/^! (Command|device|Time|Startup-config)\b/.test(line))
    .join("\n");
  return `sha256:${createHash("sha256").update(meaningful).digest("hex")}`;
}

import { createHash } from "node:crypto";

const VOLATILE_HEADER = /^! (Command|device|Time|Startup-config)\b/;

/**
 * Hash of a running config as the switch reported it, ignoring what changes on every `show`
 * (the `! Command:`/`! device:` header comments and trailing whitespace), so that a saved plan is
 * refused only when the configuration itself changed.
 */
export function runningConfigHash(text: string): string {
  // Line by line in one pass (every observed config is hashed): the lines kept, joined by "\n".
  const meaningful: string[] = [];
  for (let start = 0; start <= text.length; ) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = text.length;
    const line = text.slice(start, end).trimEnd();
    start = end + 1;
    if (line !== "" && !(line.startsWith("! ") && VOLATILE_HEADER.test(line))) meaningful.push(line);
  }
  return `sha256:${createHash("sha256").update(meaningful.join("\n")).digest("hex")}`;
}

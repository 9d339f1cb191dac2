import { createTwoFilesPatch } from "diff";

/**
 * Unified diff of two managed-scope renderings, secrets already redacted by the caller. Used by plan
 * and drift reports; empty string when equal.
 */
export function managedDiff(
  device: string,
  fromText: string,
  toText: string,
  labels: [string, string],
): string {
  if (fromText === toText) return "";
  const patch = createTwoFilesPatch(
    `${device} (${labels[0]})`,
    `${device} (${labels[1]})`,
    ensureNewline(fromText),
    ensureNewline(toText),
    undefined,
    undefined,
    { context: 2 },
  );
  // Drop the "====" banner line createTwoFilesPatch puts first; keep the ---/+++ headers.
  return patch.replace(/^=+\n/, "");
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") || text === "" ? text : `${text}\n`;
}

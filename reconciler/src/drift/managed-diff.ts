import { createTwoFilesPatch, formatPatch } from "diff";

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
  const oldFileName = `${device} (${labels[0]})`;
  const newFileName = `${device} (${labels[1]})`;
  const patch =
    fromText === "" || toText === ""
      ? formatPatch(oneSidedPatch(oldFileName, newFileName, ensureNewline(fromText), ensureNewline(toText)))
      : createTwoFilesPatch(
          oldFileName,
          newFileName,
          ensureNewline(fromText),
          ensureNewline(toText),
          undefined,
          undefined,
          { context: 2 },
        );
  // Drop the "====" banner line createTwoFilesPatch puts first; keep the ---/+++ headers.
  return patch.replace(/^=+\n/, "");
}

/**
 * The patch jsdiff makes when one side is empty (a section added or removed whole): one hunk of every
 * line. Nothing is to be aligned, yet its Myers walk costs one round per line (for a new section of
 * 24 lines, as much as a diff with real changes). Formatted by jsdiff all the same.
 */
function oneSidedPatch(oldFileName: string, newFileName: string, fromText: string, toText: string) {
  const added = fromText === "";
  const lines = (added ? toText : fromText).split("\n");
  lines.pop(); // the empty string after the last newline
  const sign = added ? "+" : "-";
  const count = lines.length;
  return {
    oldFileName,
    newFileName,
    oldHeader: undefined,
    newHeader: undefined,
    hunks: [
      {
        oldStart: 1,
        oldLines: added ? 0 : count,
        newStart: 1,
        newLines: added ? count : 0,
        lines: lines.map((line) => sign + line),
      },
    ],
  };
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") || text === "" ? text : `${text}\n`;
}

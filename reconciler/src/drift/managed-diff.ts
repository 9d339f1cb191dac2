import { createTwoFilesPatch, formatPatch, type StructuredPatch, structuredPatch } from "diff";

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
  const from = ensureNewline(fromText);
  const to = ensureNewline(toText);
  const patch =
    from === "" || to === ""
      ? formatPatch(oneSidedPatch(oldFileName, newFileName, from, to))
      : from.includes("\r") || to.includes("\r")
        ? createTwoFilesPatch(oldFileName, newFileName, from, to, undefined, undefined, { context: 2 })
        : formatPatch(patchByShape(oldFileName, newFileName, from, to));
  // Drop the "====" banner line createTwoFilesPatch puts first; keep the ---/+++ headers.
  return patch.replace(/^=+\n/, "");
}

/**
 * The patch jsdiff makes when one side is empty (a section added or removed whole): one hunk of every
 * line. Nothing is to be aligned, yet its Myers walk costs one round per line (for a new section of
 * 24 lines, as much as a diff with real changes). Formatted by jsdiff all the same.
 */
function oneSidedPatch(
  oldFileName: string,
  newFileName: string,
  fromText: string,
  toText: string,
): StructuredPatch {
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

type Hunk = StructuredPatch["hunks"][number];

/**
 * jsdiff's hunks depend only on which lines equal which (it compares its line tokens with ===), not on
 * what the lines say: switches planned from one template give it the same problem with other names
 * and addresses in it (a group's 200 leafs: one Myers walk, not 200). So each text is spelled as the
 * numbers of its distinct lines, jsdiff diffs those, and its hunks are remembered by that spelling
 * and given back their lines. Both texts end in a newline and hold no CR (jsdiff would split there).
 */
function patchByShape(oldFileName: string, newFileName: string, fromText: string, toText: string) {
  const numbers = new Map<string, number>();
  const lines: string[] = [];
  const spell = (text: string): string => {
    let spelled = "";
    for (let start = 0; start < text.length; ) {
      const end = text.indexOf("\n", start);
      const line = text.slice(start, end);
      start = end + 1;
      let number = numbers.get(line);
      if (number === undefined) {
        number = lines.length;
        numbers.set(line, number);
        lines.push(line);
      }
      spelled += `${number}\n`;
    }
    return spelled;
  };
  const from = spell(fromText);
  const to = spell(toText);
  const shape = `${from}|${to}`;
  let hunks = hunksByShape.get(shape);
  if (!hunks) {
    hunks = structuredPatch("", "", from, to, undefined, undefined, { context: 2 }).hunks;
    // Bounded: a reconciler runs for months over many revisions; a full memo starts again.
    if (shapeChars > SHAPE_CHARS_LIMIT) {
      hunksByShape.clear();
      shapeChars = 0;
    }
    hunksByShape.set(shape, hunks);
    shapeChars += shape.length;
  }
  return {
    oldFileName,
    newFileName,
    oldHeader: undefined,
    newHeader: undefined,
    // New hunk objects: formatPatch adjusts a hunk's start in place.
    hunks: hunks.map((hunk) => ({
      ...hunk,
      lines: hunk.lines.map((line) => line[0] + lines[Number(line.slice(1))]!),
    })),
  };
}

/** Shape → jsdiff's hunks of it (module-wide: the same shapes recur across switches and plans). */
const hunksByShape = new Map<string, Hunk[]>();
let shapeChars = 0;
const SHAPE_CHARS_LIMIT = 4_000_000;

function ensureNewline(text: string): string {
  return text.endsWith("\n") || text === "" ? text : `${text}\n`;
}

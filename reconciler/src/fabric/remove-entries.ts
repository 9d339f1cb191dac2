import { isMap, isScalar, isSeq, Scalar } from "yaml";
import type { ConfigLine, RemoveEntry } from "./types.ts";
import { type ParsedYaml, positionOfOffset, type YamlPath } from "./yaml-position.ts";

/**
 * Reads a `remove:` list as entries with the place of each command's text: a string is a command; a
 * one-key mapping is a command and the list of its lines to take away (the schema allows nothing else,
 * so reading cannot fail).
 */
export function readRemoveEntries(parsed: ParsedYaml, path: YamlPath): RemoveEntry[] {
  return entriesOf(parsed, parsed.doc.getIn(path, true));
}

function entriesOf(parsed: ParsedYaml, node: unknown): RemoveEntry[] {
  if (!isSeq(node)) return [];
  return node.items.flatMap((item): RemoveEntry[] => {
    if (isScalar(item)) return [{ line: lineOf(parsed, item), lines: [] }];
    if (!isMap(item)) return [];
    return item.items.flatMap((pair) =>
      isScalar(pair.key) ? [{ line: lineOf(parsed, pair.key), lines: entriesOf(parsed, pair.value) }] : [],
    );
  });
}

function lineOf(parsed: ParsedYaml, scalar: Scalar): ConfigLine {
  const start = positionOfOffset(parsed, scalar.range?.[0] ?? 0);
  const quote = scalar.type === Scalar.QUOTE_DOUBLE || scalar.type === Scalar.QUOTE_SINGLE ? 1 : 0;
  return { text: String(scalar.value ?? ""), position: { ...start, col: start.col + quote } };
}

/** Every command of the entries, the lines under each included (for the checks on every CLI line). */
export function removeEntryLines(entries: RemoveEntry[]): ConfigLine[] {
  return entries.flatMap((entry) => [entry.line, ...removeEntryLines(entry.lines)]);
}

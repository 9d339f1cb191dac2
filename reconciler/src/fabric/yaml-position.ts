import { type Document, isMap, isNode, isPair, isScalar, isSeq, type LineCounter, type Node } from "yaml";
import type { SourcePosition } from "./types.ts";

/** A parsed YAML file of the repo, kept so that every later stage can point back into it. */
export interface ParsedYaml {
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
  /** The plain data (aliases resolved), what the schema check and the normaliser read. */
  data: unknown;
}

/** A path into the data, as ajv's instancePath and the normaliser use it: ["xmpp", "port"], ["groups", 0]. */
export type YamlPath = (string | number)[];

export function positionOfOffset(parsed: ParsedYaml, offset: number): SourcePosition {
  const { line, col } = parsed.lines.linePos(offset);
  return { file: parsed.file, line, col };
}

/** The node at `path`, or the deepest existing ancestor (e.g. for a missing key, the mapping that lacks it). */
export function nodeAt(parsed: ParsedYaml, path: YamlPath): Node | undefined {
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? parsed.doc.contents : parsed.doc.getIn(path.slice(0, depth), true);
    if (isNode(node)) return node;
  }
  return undefined;
}

/** Where the value at `path` starts; with `part: "key"`, where its key starts (for unknown or misspelt keys). */
export function positionAt(
  parsed: ParsedYaml,
  path: YamlPath,
  part: "key" | "value" = "value",
): SourcePosition {
  if (part === "key" && path.length > 0) {
    const parent = path.length === 1 ? parsed.doc.contents : parsed.doc.getIn(path.slice(0, -1), true);
    if (isMap(parent)) {
      const last = path.at(-1);
      const pair = parent.items.find((item) => isPair(item) && isScalar(item.key) && item.key.value === last);
      if (pair && isNode(pair.key) && pair.key.range) return positionOfOffset(parsed, pair.key.range[0]);
    }
  }
  const node = nodeAt(parsed, path);
  if (node?.range) return positionOfOffset(parsed, node.range[0]);
  return { file: parsed.file, line: 1, col: 1 };
}

/** Walks every key/value pair of the document with its data path (for checks on the raw YAML). */
export function walkPairs(
  parsed: ParsedYaml,
  visit: (path: YamlPath, key: string, value: unknown, keyOffset: number) => void,
): void {
  const walk = (node: unknown, path: YamlPath): void => {
    if (isMap(node)) {
      for (const pair of node.items) {
        if (!isScalar(pair.key)) continue;
        const key = String(pair.key.value);
        const childPath = [...path, key];
        visit(childPath, key, pair.value, pair.key.range?.[0] ?? 0);
        walk(pair.value, childPath);
      }
    } else if (isSeq(node)) {
      for (const [index, item] of node.items.entries()) walk(item, [...path, index]);
    }
  };
  walk(parsed.doc.contents, []);
}

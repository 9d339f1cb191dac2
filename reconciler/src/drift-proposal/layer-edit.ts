import { type Document, isMap, isScalar, isSeq, parseDocument, Scalar, type YAMLSeq } from "yaml";
import {
  type ConfigLine,
  type ConfigNode,
  configTreeOf,
  multiLineTerminator,
  type RenderedLayer,
} from "../fabric/index.ts";
import { topKey } from "./delta.ts";

/** What adoption changes in one group or device file. */
export interface LayerChange {
  /** Blocks to write as the switch has them, replacing the file's block of the same command. */
  adds: ConfigNode[];
  /** Commands (top-level keys) whose block the file's config gives and the switch lacks. */
  drops: string[];
  /** `remove:` entries to add, as written (`${vars}` and all): blocks earlier layers give. */
  removes: string[];
}

/** The file's text and written config, and the same layer after substitution. */
export interface LayerSource {
  text: string;
  config: ConfigLine[];
  layer: RenderedLayer | undefined;
}

// As events/yaml-change.ts writes: no folding of long lines, `[a, b]` stays `[a, b]`.
const OUTPUT = { lineWidth: 0, flowCollectionPadding: false } as const;

/**
 * The file with `change` made and everything else — comments, key order, quoting — as it was. `config`
 * is rewritten only when a block of it changes; `remove:` entries are added to the list (or a new one
 * before `config:`), and an entry is deleted when the switch has its command again.
 */
export function editLayerFile(source: LayerSource, change: LayerChange): string {
  const doc = parseDocument(source.text);
  const blocks = writtenBlocks(source.config, source.layer?.nodes ?? []);
  if (change.adds.length > 0 || blocks.some((b) => change.drops.includes(b.key))) {
    setConfig(doc, editedConfig(source.config, blocks, change));
  }
  const addKeys = new Set(change.adds.map((n) => topKey(n.text)));
  const stale = (source.layer?.removals ?? []).flatMap((r, i) =>
    addKeys.has(topKey(r.entry.text)) ? [i] : [],
  );
  setRemove(doc, stale, change.removes);
  return doc.toString(OUTPUT);
}

interface WrittenBlock {
  /** Its command after substitution (the written and substituted trees have one shape). */
  key: string;
  /** Index of its first line in the written lines; it runs up to the next block's first line. */
  start: number;
  end: number;
}

function writtenBlocks(written: ConfigLine[], substituted: ConfigNode[]): WrittenBlock[] {
  const nodes = configTreeOf(written).nodes;
  const starts = nodes.map((node) =>
    written.findIndex((l) => l.position.line === node.position.line && l.position.col === node.position.col),
  );
  return nodes.map((node, i) => ({
    key: topKey((substituted[i] ?? node).text),
    start: starts[i]!,
    end: starts[i + 1] ?? written.length,
  }));
}

/**
 * The config text with the change made line by line: a dropped block's lines go with the `!` after
 * it; an added block takes the place of its command's block, or is appended after a `!`. Every other
 * line — separators, comments, `${vars}` — stays as written, so the PR's diff shows only the change.
 */
function editedConfig(written: ConfigLine[], blocks: WrittenBlock[], change: LayerChange): string {
  const texts = written.map((l) => l.text);
  const replaced = new Map<number, string[]>();
  for (const block of blocks) if (change.drops.includes(block.key)) replaced.set(block.start, []);
  const appended: string[][] = [];
  for (const add of change.adds) {
    const key = topKey(add.text);
    const block = blocks.find((b) => b.key === key && !replaced.has(b.start));
    if (!block) {
      appended.push(blockLines(add));
      continue;
    }
    const span = texts.slice(block.start, block.end);
    const own = span.length - [...span].reverse().findIndex((t) => !isSeparator(t));
    replaced.set(block.start, [...blockLines(add), ...span.slice(own)]);
  }
  const out = texts.slice(0, blocks[0]?.start ?? texts.length);
  for (const block of blocks) out.push(...(replaced.get(block.start) ?? texts.slice(block.start, block.end)));
  // A dropped last block leaves the `!` before it at the end.
  if (!isSeparator(texts.at(-1) ?? "")) while (out.length > 0 && isSeparator(out.at(-1)!)) out.pop();
  if (!hasContent(out)) out.length = 0;
  for (const lines of appended) {
    if (out.length > 0 && !isSeparator(out.at(-1)!)) out.push("!");
    out.push(...lines);
  }
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}

function isSeparator(text: string): boolean {
  const trimmed = text.trim();
  return trimmed === "" || trimmed.startsWith("!");
}

function hasContent(texts: string[]): boolean {
  return texts.some((t) => !isSeparator(t));
}

/** A block as running-config lines (3 spaces per level; a banner's text unindented, then its end). */
function blockLines(node: ConfigNode, depth = 0): string[] {
  const line = `${"   ".repeat(depth)}${node.rawText}`;
  if (node.children.some((c) => c.isVerbatim)) {
    return [line, ...node.children.map((c) => c.rawText), multiLineTerminator];
  }
  return [line, ...node.children.flatMap((c) => blockLines(c, depth + 1))];
}

/** `config` as a literal block (the node kept, with its comment, when it is one); gone when empty. */
function setConfig(doc: Document, text: string): void {
  if (text === "") {
    doc.delete("config");
    return;
  }
  const node = doc.get("config", true);
  const scalar = isScalar(node) ? node : new Scalar(text);
  scalar.value = text;
  scalar.type = Scalar.BLOCK_LITERAL;
  if (scalar !== node) doc.set("config", scalar);
}

/** Deletes the `remove:` items at `stale` and appends `add`; the list goes when it is left empty. */
function setRemove(doc: Document, stale: number[], add: string[]): void {
  if (stale.length === 0 && add.length === 0) return;
  const node = doc.get("remove", true);
  const list = isSeq(node) ? (node as YAMLSeq) : (doc.createNode([]) as YAMLSeq);
  for (const index of [...stale].sort((a, b) => b - a)) list.items.splice(index, 1);
  for (const text of add) list.items.push(doc.createNode(text));
  if (list.items.length === 0) {
    doc.delete("remove");
    return;
  }
  if (isSeq(node)) return;
  if (doc.has("remove") || !isMap(doc.contents)) {
    doc.set("remove", list);
    return;
  }
  // A new list goes just before config:, whose comment stays with it, after a blank line.
  const items = doc.contents.items;
  const at = items.findIndex((pair) => isScalar(pair.key) && pair.key.value === "config");
  const pair = doc.createPair("remove", list);
  if (isScalar(pair.key)) pair.key.spaceBefore = true;
  items.splice(at < 0 ? items.length : at, 0, pair);
}

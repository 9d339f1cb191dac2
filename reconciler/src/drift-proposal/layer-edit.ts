import { type Document, isMap, isScalar, isSeq, parseDocument, Scalar, YAMLMap, YAMLSeq } from "yaml";
import {
  type ConfigLine,
  type ConfigNode,
  commandKey,
  configTreeOf,
  multiLineTerminator,
  type Removal,
  type RenderedLayer,
} from "../fabric/index.ts";
import { topKey } from "./delta.ts";

/** What adoption changes in one group or device file. */
export interface LayerChange {
  /** Blocks to write as the switch has them, replacing the file's block of the same command. */
  adds: ConfigNode[];
  /**
   * Lines the file's config gives and the switch lacks, each as the commandKey of every line from its
   * top-level block down to it (one key: the whole block).
   */
  drops: string[][];
  /** `remove:` entries to add for lines earlier layers give; one line: the whole block. */
  removes: RemoveLine[];
}

/** A line to name in a `remove:` entry, with the sections above it (the top-level command first). */
export interface RemoveLine {
  /** Each line as written (`${vars}` and all). */
  lines: string[];
  /** The commandKey of each, at its depth (what an entry for the same section is found by). */
  path: string[];
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
 * before `config:`), a line into an entry for the same section when there is one, and an entry or a
 * line of one is deleted when the switch has what it takes away again.
 */
export function editLayerFile(source: LayerSource, change: LayerChange): string {
  const doc = parseDocument(source.text);
  const blocks = writtenBlocks(source.config, source.layer?.nodes ?? []);
  if (change.adds.length > 0 || blocks.some((b) => change.drops.some((path) => path[0] === b.key))) {
    setConfig(doc, editedConfig(source.config, blocks, change));
  }
  const removals = source.layer?.removals ?? [];
  setRemove(doc, removals, staleEntries(removals, change.adds, 0), change.removes);
  return doc.toString(OUTPUT);
}

/**
 * The `remove:` entries (as index paths into the list and its entries' lines) that take away what
 * `adds` writes again: an entry for a block written, or a line of an entry that the block written has.
 */
function staleEntries(removals: Removal[], adds: ConfigNode[], depth: number): number[][] {
  return removals.flatMap((removal, index) => {
    const key = commandKey(removal.entry.text, depth);
    const written = adds.find((node) => commandKey(node.text, depth) === key);
    if (!written) return [];
    if (removal.entry.children.length === 0) return [[index]];
    return staleEntries(removal.lines, written.children, depth + 1).map((path) => [index, ...path]);
  });
}

interface WrittenBlock {
  /** Its command after substitution (the written and substituted trees have one shape). */
  key: string;
  /** Index of its first line in the written lines; it runs up to the next block's first line. */
  start: number;
  end: number;
  written: ConfigNode;
  substituted: ConfigNode;
}

function writtenBlocks(written: ConfigLine[], substituted: ConfigNode[]): WrittenBlock[] {
  const nodes = configTreeOf(written).nodes;
  const starts = nodes.map((node) => indexOfLine(written, node));
  return nodes.map((node, i) => ({
    key: topKey((substituted[i] ?? node).text),
    start: starts[i]!,
    end: starts[i + 1] ?? written.length,
    written: node,
    substituted: substituted[i] ?? node,
  }));
}

function indexOfLine(written: ConfigLine[], node: ConfigNode): number {
  return written.findIndex(
    (l) => l.position.line === node.position.line && l.position.col === node.position.col,
  );
}

/**
 * The config text with the change made line by line: a dropped block's lines go with the `!` after
 * it; an added block takes the place of its command's block, or is appended after a `!`. Every other
 * line — separators, comments, `${vars}` — stays as written, so the PR's diff shows only the change.
 */
function editedConfig(written: ConfigLine[], blocks: WrittenBlock[], change: LayerChange): string {
  const texts = written.map((l) => l.text);
  const replaced = new Map<number, string[]>();
  const dropsWhole = new Set(change.drops.flatMap((path) => (path.length === 1 ? path : [])));
  for (const block of blocks) if (dropsWhole.has(block.key)) replaced.set(block.start, []);
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
  // Lines dropped from a block that otherwise stays as written.
  const dropped = new Set<number>();
  for (const path of change.drops) {
    const block = path.length > 1 && blocks.find((b) => b.key === path[0] && !replaced.has(b.start));
    if (block) for (const index of lineSpan(written, block, path)) dropped.add(index);
  }
  const kept = (from: number, to: number) => texts.slice(from, to).filter((_, i) => !dropped.has(from + i));
  const out = kept(0, blocks[0]?.start ?? texts.length);
  for (const block of blocks) out.push(...(replaced.get(block.start) ?? kept(block.start, block.end)));
  // A dropped last block leaves the `!` before it at the end.
  if (!isSeparator(texts.at(-1) ?? "")) while (out.length > 0 && isSeparator(out.at(-1)!)) out.pop();
  if (!hasContent(out)) out.length = 0;
  for (const lines of appended) {
    if (out.length > 0 && !isSeparator(out.at(-1)!)) out.push("!");
    out.push(...lines);
  }
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}

/** The indexes of the written lines of the line at `path` inside `block`: it and the lines under it. */
function lineSpan(written: ConfigLine[], block: WrittenBlock, path: string[]): number[] {
  let [node, substituted] = [block.written, block.substituted];
  for (const [depth, key] of path.entries()) {
    if (depth === 0) continue;
    const index = substituted.children.findIndex((c) => commandKey(c.text, depth) === key);
    if (index < 0) return [];
    [node, substituted] = [node.children[index]!, substituted.children[index]!];
  }
  const start = indexOfLine(written, node);
  const indent = indentOf(written[start]!.text);
  let end = start + 1;
  while (end < written.length && written[end]!.text.trim() !== "" && indentOf(written[end]!.text) > indent)
    end++;
  // A section inside a section ends with a `!` at its own indentation, as EOS prints it.
  const after = written[end]?.text ?? "";
  if (node.children.length > 0 && after.trim() === "!" && indentOf(after) === indent) end++;
  return Array.from({ length: end - start }, (_, i) => start + i);
}

function indentOf(text: string): number {
  return text.length - text.trimStart().length;
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

/**
 * Adds `add` to the `remove:` list (`removals`: its entries as the layer renders them) and deletes the
 * entries and lines at `stale`; an entry whose lines all go goes, and the list when it is left empty.
 */
function setRemove(doc: Document, removals: Removal[], stale: number[][], add: RemoveLine[]): void {
  if (stale.length === 0 && add.length === 0) return;
  const node = doc.get("remove", true);
  const list = isSeq(node) ? (node as YAMLSeq) : (doc.createNode([]) as YAMLSeq);
  // Entries are found by command after variables, as the merge matches them: `router bgp` is the
  // entry for `router bgp ${asn}`. Added before deleting, so that the stale indexes stay valid.
  const keys = new WeakMap<object, string>();
  keyItems(
    list,
    removals.map((r) => r.entry),
    0,
    keys,
  );
  for (const line of add) addEntry(doc, list, line, 0, keys);
  deleteEntries(list, stale);
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
  // doc.set keeps a new key as a plain string, not a scalar node.
  const at = items.findIndex((pair) => (isScalar(pair.key) ? pair.key.value : pair.key) === "config");
  const pair = doc.createPair("remove", list);
  if (isScalar(pair.key)) pair.key.spaceBefore = true;
  items.splice(at < 0 ? items.length : at, 0, pair);
}

/** Records each item's commandKey (from the rendered entries, in the list's order), lines and all. */
function keyItems(list: YAMLSeq, entries: ConfigNode[], depth: number, keys: WeakMap<object, string>): void {
  list.items.forEach((item, i) => {
    const entry = entries[i];
    if (!entry || !item || typeof item !== "object") return;
    keys.set(item, commandKey(entry.text, depth));
    const lines = linesOf(item);
    if (lines) keyItems(lines, entry.children, depth + 1, keys);
  });
}

/** Deletes the items at `paths` (an index, then indexes into that entry's lines); an emptied entry goes. */
function deleteEntries(list: YAMLSeq, paths: number[][]): void {
  const below = new Map<number, number[][]>();
  for (const [index, ...rest] of paths) below.set(index!, [...(below.get(index!) ?? []), rest]);
  for (const index of [...below.keys()].sort((a, b) => b - a)) {
    const tails = below.get(index)!;
    const lines = tails.some((tail) => tail.length === 0) ? undefined : linesOf(list.items[index]);
    if (lines) {
      deleteEntries(lines, tails);
      if (lines.items.length > 0) continue;
    }
    list.items.splice(index, 1);
  }
}

/** An entry's list of lines, when it is a mapping (`"interface Ethernet1": [...]`). */
function linesOf(item: unknown): YAMLSeq | undefined {
  const value = isMap(item) ? item.items[0]?.value : undefined;
  return isSeq(value) ? (value as YAMLSeq) : undefined;
}

/**
 * Adds the entry that takes away the last of `line.lines`, into the entry for the same section when
 * the list has one. A new list of lines is written `[a, b]` when it holds one-line entries, the way
 * the fabric model's documentation shows it.
 */
function addEntry(
  doc: Document,
  list: YAMLSeq,
  line: RemoveLine,
  depth: number,
  keys: WeakMap<object, string>,
): void {
  const text = line.lines[depth]!;
  const key = line.path[depth]!;
  if (depth === line.lines.length - 1) {
    const item = doc.createNode(text);
    keys.set(item, key);
    list.items.push(item);
    return;
  }
  const same = linesOf(list.items.find((item) => isMap(item) && keys.get(item) === key));
  if (same) {
    addEntry(doc, same, line, depth + 1, keys);
    return;
  }
  const lines = new YAMLSeq();
  lines.flow = depth === line.lines.length - 2;
  addEntry(doc, lines, line, depth + 1, keys);
  const entry = new YAMLMap();
  entry.items.push(doc.createPair(text, lines));
  keys.set(entry, key);
  list.items.push(entry);
}

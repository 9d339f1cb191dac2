import { type Document, isMap, isScalar, isSeq, parseDocument, Scalar, type YAMLSeq } from "yaml";
import { type ConfigLine, type ConfigNode, configTreeOf, type RenderedLayer } from "../fabric/index.ts";
import { blockText, topKey } from "./delta.ts";

/** What adoption changes in one group or device file. */
export interface LayerChange {
  /** Blocks to write as the switch has them, replacing the file's block of the same command. */
  adds: ConfigNode[];
  /** Commands (top-level keys) whose block the file's config gives and the switch lacks. */
  drops: string[];
  /** `remove:` entries to add, as written (`${vars}` and all): blocks earlier layers give. */
  removes: string[];
}

/** The file's written config and remove: entries, and the same layer after substitution. */
export interface LayerSource {
  text: string;
  config: ConfigLine[];
  remove: ConfigLine[];
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
  const substituted = source.layer?.nodes ?? [];
  const written = configTreeKeys(source.config, substituted);
  const touches = change.adds.length > 0 || written.some((w) => change.drops.includes(w.key));
  if (touches) setConfig(doc, editedConfig(written, change));
  const addKeys = new Set(change.adds.map((n) => topKey(n.text)));
  const stale = (source.layer?.removals ?? []).flatMap((r, i) =>
    addKeys.has(topKey(r.entry.text)) ? [i] : [],
  );
  setRemove(doc, stale, change.removes);
  return doc.toString(OUTPUT);
}

/** Each written top-level block with the command it is after substitution (the trees have one shape). */
function configTreeKeys(written: ConfigLine[], substituted: ConfigNode[]) {
  return configTreeOf(written).nodes.map((node, i) => ({ key: topKey((substituted[i] ?? node).text), node }));
}

/** Blocks kept as written (variables and all), adds replacing their command's block or appended. */
function editedConfig(written: { key: string; node: ConfigNode }[], change: LayerChange): string {
  const kept = written.filter((w) => !change.drops.includes(w.key));
  for (const add of change.adds) {
    const key = topKey(add.text);
    const at = kept.findIndex((k) => k.key === key);
    if (at >= 0) kept[at] = { key, node: add };
    else kept.push({ key, node: add });
  }
  return kept.map((k) => blockText(k.node, true)).join("!\n");
}

/** `config` as a literal block; removed when nothing is left. */
function setConfig(doc: Document, text: string): void {
  if (text === "") {
    doc.delete("config");
    return;
  }
  const scalar = new Scalar(text);
  scalar.type = Scalar.BLOCK_LITERAL;
  doc.set("config", scalar);
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

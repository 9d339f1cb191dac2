/**
 * The comparable form of a tree: only the managed scope, ignored lines dropped, every line classified,
 * spelled as EOS shows it (hidden defaults dropped, folded lines split, entries numbered), and one line
 * per setting (a later line of the same key replaces an earlier one, as on the CLI).
 *
 * Children are normalised on first access: two blocks whose raw lines are identical have identical
 * normal forms, so the diff and the comparison skip them without normalising them at all.
 */
import type { ManagedScope } from "../fabric/types.ts";
import { classifyLine, type LineClass, mayBeHidden, ROOT_MODE, sequencingOf } from "./classify.ts";
import { type CompiledScope, compileScope } from "./scope.ts";
import type { ConfigNode, ConfigTree } from "./types.ts";

export interface NormNode extends ConfigNode {
  readonly children: NormNode[];
  readonly cls: LineClass;
  /** The mode this node's children are commands of. */
  readonly mode: string;
  /** The parsed node this one was made from, when its children are exactly that node's children. */
  readonly source: ConfigNode | undefined;
}

/**
 * Trees are immutable and the predicted tree shares untouched subtrees with running: with one memo
 * for both, checking a prediction re-normalises only the blocks the script changed. One memo is for
 * one scope (the normal form of a block depends on the block, its mode and text, and the scope).
 */
export type NormalMemo = Map<ConfigNode, { mode: string; text: string; normal: NormNode }>;

export function normaliseTree(tree: ConfigTree, scope: ManagedScope, memo?: NormalMemo): NormNode[] {
  return normaliseLevel(tree.children, ROOT_MODE, { scope: compileScope(scope), memo }, true);
}

/** True when two parsed blocks have the same lines below them (so the same normal form). */
export function sameRawChildren(a: ConfigNode, b: ConfigNode): boolean {
  if (a === b) return true;
  const x = a.children;
  const y = b.children;
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) {
    const p = x[i]!;
    const q = y[i]!;
    if (p === q) continue;
    if (p.text !== q.text || !sameLines(p.body, q.body) || !sameRawChildren(p, q)) return false;
  }
  return true;
}

export function sameLines(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

interface Context {
  scope: CompiledScope;
  memo: NormalMemo | undefined;
}

const EMPTY: NormNode[] = [];

class LazyNormNode implements NormNode {
  private normalChildren: NormNode[] | undefined;
  constructor(
    readonly text: string,
    readonly line: number,
    readonly body: readonly string[] | undefined,
    readonly cls: LineClass,
    readonly mode: string,
    readonly source: ConfigNode | undefined,
    private readonly raw: readonly ConfigNode[],
    private readonly context: Context,
  ) {}

  get children(): NormNode[] {
    if (this.normalChildren === undefined) {
      this.normalChildren =
        this.raw.length > 0 ? normaliseLevel(this.raw, this.mode, this.context, false) : EMPTY;
    }
    return this.normalChildren;
  }
}

const SEQUENCE_NUMBER = /^(?:seq )?(\d+) /;
/** Most blocks have a handful of lines: a linear scan beats building a Map for them. */
const SMALL_LEVEL = 12;
interface KeyIndex {
  map: Map<string, number> | undefined;
}

function normaliseLevel(
  nodes: readonly ConfigNode[],
  mode: string,
  context: Context,
  isTop: boolean,
): NormNode[] {
  const { scope, memo } = context;
  const sequencing = sequencingOf(mode);
  let lastSequence = 0;
  const out: NormNode[] = [];
  const byKey: KeyIndex = { map: undefined };

  for (const node of nodes) {
    let text = node.text;
    if (isTop && !scope.isManaged(text)) continue;
    if (sequencing) {
      if (sequencing.unnumbered.test(text)) {
        lastSequence += sequencing.step;
        text = sequencing.number.replace("$seq", String(lastSequence)).replace("$line", text);
      } else {
        const m = SEQUENCE_NUMBER.exec(text);
        if (m) lastSequence = Number(m[1]);
      }
    }
    const known = memo && node.children.length > 0 ? memo.get(node) : undefined;
    if (known && known.mode === mode && known.text === text) {
      place(out, known.normal, byKey, context);
      continue;
    }
    if (scope.isIgnored(text)) continue;
    const cls = classifyLine(mode, text);
    if (cls.hidden) continue;
    if (cls.rule?.expand && cls.match) {
      for (const part of cls.rule.expand(cls.match)) {
        const partCls = classifyLine(mode, part);
        if (isVisible(partCls, node, context))
          place(out, makeNormal(partCls, node, context, node), byKey, context);
      }
      continue;
    }
    if (!isVisible(cls, node, context)) continue;
    const normal = makeNormal(cls, node, context, node);
    if (memo && node.children.length > 0) memo.set(node, { mode, text, normal });
    place(out, normal, byKey, context);
  }
  if (byKey.map) positions.set(out, byKey.map);
  return out;
}

/** Key → position for the large levels normalisation indexed anyway (the diff and the check reuse it). */
const positions = new WeakMap<NormNode[], Map<string, number>>();

/** The node of `key` in a normalised level: a map lookup for large levels, a scan for small ones. */
export function findNormal(level: NormNode[], key: string): NormNode | undefined {
  const map = level.length > SMALL_LEVEL ? positions.get(level) : undefined;
  if (map) {
    const at = map.get(key);
    return at === undefined ? undefined : level[at];
  }
  for (const node of level) if (node.cls.key === key) return node;
  return undefined;
}

/** A persistent block (a physical port, always there) with no visible settings is the same as none. */
function isVisible(cls: LineClass, node: ConfigNode, context: Context): boolean {
  if (!cls.rule?.persistent) return true;
  for (const child of node.children) {
    if (context.scope.isIgnored(child.text)) continue;
    if (!mayBeHidden(cls.childMode, child.text)) return true;
    const childCls = classifyLine(cls.childMode, child.text);
    if (!childCls.hidden || child.children.length > 0) return true;
  }
  return false;
}

function makeNormal(
  cls: LineClass,
  node: ConfigNode,
  context: Context,
  source: ConfigNode | undefined,
): NormNode {
  return new LazyNormNode(cls.text, node.line, node.body, cls, cls.childMode, source, node.children, context);
}

/** Adds a normal node to its level; a repeated key replaces the earlier line, a repeated block merges. */
function place(out: NormNode[], normal: NormNode, index: KeyIndex, context: Context): void {
  const key = normal.cls.key;
  let previous: number | undefined;
  if (index.map) previous = index.map.get(key);
  else {
    for (let i = 0; i < out.length; i++) if (out[i]!.cls.key === key) previous = i;
    if (out.length >= SMALL_LEVEL) index.map = new Map(out.map((n, i) => [n.cls.key, i]));
  }
  if (previous === undefined) {
    index.map?.set(key, out.length);
    out.push(normal);
    return;
  }
  const earlier = out[previous]!;
  if (earlier.text === normal.text && (earlier.children.length > 0 || normal.children.length > 0)) {
    // The same block entered twice accumulates its commands, as typing it twice on the CLI would.
    // Normal forms are normal again, so merging is normalising the two lists of children together.
    const merged = [...earlier.children, ...normal.children];
    const carrier: ConfigNode = { text: normal.text, line: normal.line, body: normal.body, children: merged };
    out[previous] = makeNormal(normal.cls, carrier, context, undefined);
  } else {
    out[previous] = normal;
  }
}

/**
 * The comparable form of a tree: only the managed scope, ignored lines dropped, every line classified,
 * spelled as EOS shows it (hidden defaults dropped, folded lines split, entries numbered), and one line
 * per setting (a later line of the same key replaces an earlier one, as on the CLI).
 */
import type { ManagedScope } from "../fabric/types.ts";
import { classifyLine, type LineClass, modeOf, ROOT_MODE, sequencingOf } from "./classify.ts";
import { type CompiledScope, compileScope } from "./scope.ts";
import type { ConfigNode, ConfigTree } from "./types.ts";

export interface NormNode extends ConfigNode {
  readonly children: NormNode[];
  readonly cls: LineClass;
  /** The mode this node's children are commands of. */
  readonly mode: string;
}

/**
 * Trees are immutable and the predicted tree shares untouched subtrees with running: with one memo
 * for both, checking a prediction re-normalises only the blocks the script changed.
 */
export type NormalMemo = Map<ConfigNode, { mode: string; text: string; normal: NormNode }>;

export function normaliseTree(tree: ConfigTree, scope: ManagedScope, memo?: NormalMemo): NormNode[] {
  return normaliseLevel(tree.children, ROOT_MODE, { scope: compileScope(scope), memo }, true);
}

interface Context {
  scope: CompiledScope;
  memo: NormalMemo | undefined;
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
        place(out, makeNormal(classifyLine(mode, part), node, mode, context), byKey, context);
      }
      continue;
    }
    const normal = makeNormal(cls, node, mode, context);
    if (memo && node.children.length > 0) memo.set(node, { mode, text, normal });
    place(out, normal, byKey, context);
  }
  // A persistent block with no settings is the same as none (a physical port is always there).
  let hasEmptyPersistent = false;
  for (const normal of out)
    if (normal.cls.rule?.persistent && normal.children.length === 0) hasEmptyPersistent = true;
  return hasEmptyPersistent ? out.filter((n) => !(n.cls.rule?.persistent && n.children.length === 0)) : out;
}

function makeNormal(cls: LineClass, node: ConfigNode, mode: string, context: Context): NormNode {
  const childMode = modeOf(mode, cls.text);
  const children = node.children.length > 0 ? normaliseLevel(node.children, childMode, context, false) : [];
  return { text: cls.text, line: node.line, body: node.body, children, cls, mode: childMode };
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
    const children = normaliseLevel([...earlier.children, ...normal.children], normal.mode, context, false);
    out[previous] = { ...normal, children };
  } else {
    out[previous] = normal;
  }
}

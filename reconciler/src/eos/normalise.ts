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

export function normaliseTree(tree: ConfigTree, scope: ManagedScope): NormNode[] {
  return normaliseLevel(tree.children, ROOT_MODE, compileScope(scope), true);
}

const SEQUENCE_NUMBER = /^(?:seq )?(\d+) /;

function normaliseLevel(
  nodes: readonly ConfigNode[],
  mode: string,
  scope: CompiledScope,
  isTop: boolean,
): NormNode[] {
  const sequencing = sequencingOf(mode);
  let lastSequence = 0;
  const out: NormNode[] = [];
  const raw: ConfigNode[][] = [];
  const indexByKey = new Map<string, number>();

  const add = (cls: LineClass, node: ConfigNode): void => {
    const childMode = modeOf(mode, cls.text);
    const previous = indexByKey.get(cls.key);
    // The same block entered twice accumulates its commands, as typing it twice on the CLI would.
    const rawChildren =
      previous !== undefined && out[previous]!.text === cls.text
        ? [...raw[previous]!, ...node.children]
        : node.children;
    const children = normaliseLevel(rawChildren, childMode, scope, false);
    if (cls.rule?.persistent && children.length === 0) {
      if (previous !== undefined) out[previous] = { ...out[previous]!, children: [] };
      return;
    }
    const normal: NormNode = {
      text: cls.text,
      line: node.line,
      body: node.body,
      children,
      cls,
      mode: childMode,
    };
    if (previous === undefined) {
      indexByKey.set(cls.key, out.length);
      out.push(normal);
      raw.push([...rawChildren]);
    } else {
      out[previous] = normal;
      raw[previous] = [...rawChildren];
    }
  };

  for (const node of nodes) {
    let text = node.text;
    if (isTop && !scope.isManaged(text)) continue;
    if (scope.isIgnored(text)) continue;
    if (sequencing) {
      if (sequencing.unnumbered.test(text)) {
        lastSequence += sequencing.step;
        text = sequencing.number.replace("$seq", String(lastSequence)).replace("$line", text);
      } else {
        const m = SEQUENCE_NUMBER.exec(text);
        if (m) lastSequence = Number(m[1]);
      }
    }
    const cls = classifyLine(mode, text);
    if (cls.hidden) continue;
    if (cls.rule?.expand && cls.match) {
      for (const part of cls.rule.expand(cls.match)) add(classifyLine(mode, part), node);
      continue;
    }
    add(cls, node);
  }
  // A persistent block emptied by a later duplicate is the same as absent.
  return out.filter((node) => !(node.cls.rule?.persistent && node.children.length === 0));
}

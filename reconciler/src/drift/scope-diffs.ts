import {
  type ConfigNode,
  type ConfigTree,
  compileScope,
  joinTopLevel,
  type NormalMemo,
  redactSecrets,
  renderTopLevel,
  scopedNodes,
} from "../eos/index.ts";
import type { ManagedScope } from "../fabric/types.ts";
import { managedDiff } from "./managed-diff.ts";

/** One managed section's difference on one switch: the cells of a compliance matrix. */
export interface SectionDiff {
  /** The managed section as fabric.yaml names it ("interface", "router bgp"). */
  section: string;
  /** Lines added plus lines removed. */
  lines: number;
  /** Unified diff of this section alone, secrets redacted. */
  diff: string;
}

/** A switch's managed-scope difference: the whole diff, and the same split per section. */
export interface ScopeDiffs {
  diff: string;
  sections: SectionDiff[];
}

const natural = new Intl.Collator("en", { numeric: true });

/**
 * The managed scope as people read it in a diff (top-level sections in one fixed, natural order —
 * switches and git may list them in different orders, and an order is not a difference — and secrets
 * redacted), whole and split per section for the compliance matrix (switch × section, Nautobot
 * style): only the sections that differ, each with its own small diff, in the order fabric.yaml lists
 * them. Each side is normalised, rendered and redacted once, node by node, and a section's text is
 * joined from its nodes' texts; only the sections whose texts differ are diffed. `memo`: the one
 * remediate() normalised the same trees with, in the same scope.
 */
export function scopeDiffs(
  device: string,
  from: ConfigTree,
  to: ConfigTree,
  scope: ManagedScope,
  labels: [string, string],
  memo?: NormalMemo,
): ScopeDiffs {
  const a = renderSides(from, scope, memo);
  const b = renderSides(to, scope, memo);
  const diff = managedDiff(device, a.whole.text, b.whole.text, labels);
  const sections: SectionDiff[] = [];
  for (const section of scope.sections) {
    const sectionDiff = managedDiff(device, a.textOf(section), b.textOf(section), labels);
    if (sectionDiff === "") continue;
    sections.push({ section, lines: changedLines(sectionDiff), diff: sectionDiff });
  }
  return { diff, sections };
}

/** Top-level nodes as rendered for a diff, each rendered and redacted once (renderTopLevel). */
interface Rendered {
  nodes: ConfigNode[];
  texts: string[];
}

/** One side of a diff: the whole managed scope's text, and the text of each section alone. */
interface RenderedScope {
  whole: Rendered & { text: string };
  textOf(section: string): string;
}

/**
 * The redacted rendering of a tree's managed scope, whole and per section. A section's text is what
 * rendering its nodes alone gives (renderConfig puts `!` by a node's neighbours, so it is joined anew
 * from the nodes' texts); redacting node by node is redacting the whole, as every secret pattern
 * stays within one line.
 */
function renderSides(tree: ConfigTree, scope: ManagedScope, memo?: NormalMemo): RenderedScope {
  const { isManaged, sectionsOf } = compileScope(scope);
  // Only the managed lines are sorted (normalising drops the others): the same order, fewer compares.
  const managed = tree.children.filter((node) => isManaged(node.text));
  managed.sort((x, y) => natural.compare(x.text, y.text));
  const diffable = scopedNodes({ ...tree, children: managed }, scope, memo);
  const whole: Rendered = { nodes: [], texts: [] };
  const bySection = new Map<string, Rendered>();
  for (const { node, written } of diffable) {
    const text = redactSecrets(renderTopLevel(node));
    whole.nodes.push(node);
    whole.texts.push(text);
    for (const section of sectionsOf(written)) {
      let part = bySection.get(section);
      if (!part) {
        part = { nodes: [], texts: [] };
        bySection.set(section, part);
      }
      part.nodes.push(node);
      part.texts.push(text);
    }
  }
  return {
    whole: { ...whole, text: joinTopLevel(whole.nodes, whole.texts) },
    textOf(section) {
      const part = bySection.get(section);
      return part ? joinTopLevel(part.nodes, part.texts) : "";
    },
  };
}

/** Config lines added or removed; `!` separators between sections are not config lines. */
function changedLines(diff: string): number {
  let count = 0;
  for (const line of diff.split("\n")) {
    const sign = line[0];
    if ((sign !== "+" && sign !== "-") || line.startsWith("+++") || line.startsWith("---")) continue;
    if (line.slice(1).trim() !== "!") count++;
  }
  return count;
}

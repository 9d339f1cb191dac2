import {
  type ConfigNode,
  type ConfigTree,
  compileScope,
  redactSecrets,
  renderConfig,
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
 * them. Each side is normalised once and its nodes grouped by section, not normalised per section.
 */
export function scopeDiffs(
  device: string,
  from: ConfigTree,
  to: ConfigTree,
  scope: ManagedScope,
  labels: [string, string],
): ScopeDiffs {
  const a = diffableNodes(from, scope);
  const b = diffableNodes(to, scope);
  const diff = managedDiff(device, textOf(a), textOf(b), labels);
  const sections: SectionDiff[] = [];
  for (const one of sectionScopes(scope)) {
    const { isManaged } = compileScope(one);
    const inSection = (nodes: Diffable[]) => nodes.filter((n) => isManaged(n.written));
    const sectionDiff = managedDiff(device, textOf(inSection(a)), textOf(inSection(b)), labels);
    if (sectionDiff === "") continue;
    sections.push({ section: one.sections[0]!, lines: changedLines(sectionDiff), diff: sectionDiff });
  }
  return { diff, sections };
}

type Diffable = { node: ConfigNode; written: string };

function diffableNodes(tree: ConfigTree, scope: ManagedScope): Diffable[] {
  const children = [...tree.children].sort((x, y) => natural.compare(x.text, y.text));
  return scopedNodes({ ...tree, children }, scope);
}

function textOf(nodes: Diffable[]): string {
  return redactSecrets(renderConfig({ children: nodes.map((n) => n.node) }));
}

const perSection = new WeakMap<ManagedScope, ManagedScope[]>();

/** The scope of each section alone, made once per scope (a compiled scope is remembered per object). */
function sectionScopes(scope: ManagedScope): ManagedScope[] {
  let scopes = perSection.get(scope);
  if (!scopes) {
    scopes = scope.sections.map((section) => ({ sections: [section], ignore: scope.ignore }));
    perSection.set(scope, scopes);
  }
  return scopes;
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

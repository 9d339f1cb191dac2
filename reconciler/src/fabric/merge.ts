import type { ConfigNode } from "./config-tree.ts";
import { multiLineCommands, singleValuedCommands } from "./render-rules.ts";

/**
 * Merges a later layer into the config built so far (DESIGN §3): a line that sets the same command again
 * replaces the earlier one in place; a section with the same header merges its children the same way;
 * anything else is added after what is there.
 */
export function mergeLayer(into: ConfigNode[], layer: ConfigNode[], depth = 0): void {
  if (layer.length === 0) return;
  const indexByKey = new Map<string, number>();
  into.forEach((existing, index) => {
    const key = commandKey(existing.text, depth);
    if (!indexByKey.has(key)) indexByKey.set(key, index);
  });
  for (const node of layer) {
    const key = commandKey(node.text, depth);
    const index = indexByKey.get(key);
    const existing = index === undefined ? undefined : into[index];
    if (index === undefined || !existing) {
      indexByKey.set(key, into.length);
      into.push(normalised(node, depth));
    } else if (existing.text === node.text && !isMultiLine(node)) {
      mergeLayer(existing.children, node.children, depth + 1);
    } else {
      into[index] = normalised(node, depth);
    }
  }
}

/** What one `remove:` entry took: the block it names, and for an entry with lines, what each of those took. */
export interface Taken {
  /** Taken out whole; for an entry with lines, the block they were taken from (it stays). Undefined: none. */
  block: ConfigNode | undefined;
  lines: Taken[];
}

/**
 * Takes out of the config built so far what each `remove:` entry names (DESIGN §3), matched by
 * commandKey at its depth: an entry takes away exactly what a later line of the same text would
 * replace or repeat; an entry with lines takes those out of the block's children the same way, one
 * level down, as the merge combines them.
 */
export function removeBlocks(from: ConfigNode[], entries: ConfigNode[], depth = 0): Taken[] {
  return entries.map((entry) => {
    const key = commandKey(entry.text, depth);
    const index = from.findIndex((node) => commandKey(node.text, depth) === key);
    if (index < 0) return { block: undefined, lines: [] };
    if (entry.children.length === 0) return { block: from.splice(index, 1)[0], lines: [] };
    const block = from[index]!;
    return { block, lines: removeBlocks(block.children, entry.children, depth + 1) };
  });
}

/**
 * A copy of the node whose children went through the same merge, so that within one source too the last
 * of two lines setting one command wins, as it would when EOS executes them in order.
 */
function normalised(node: ConfigNode, depth: number): ConfigNode {
  if (isMultiLine(node)) return cloneNode(node);
  const copy: ConfigNode = { ...node, children: [] };
  mergeLayer(copy.children, node.children, depth + 1);
  return copy;
}

/** What "the same command" means for a line at this depth (see singleValuedCommands). */
export function commandKey(text: string, depth: number): string {
  const positive = text.replace(/^no\s+/, "");
  const rules = depth === 0 ? singleValuedCommands.topLevel : singleValuedCommands.child;
  for (const [index, rule] of rules.entries()) {
    const match = rule.exec(positive);
    if (match) return `${index}:${match.length > 1 ? match.slice(1).join(" ") : match[0]}`;
  }
  return `=${positive}`;
}

export function cloneNode(node: ConfigNode): ConfigNode {
  return { ...node, children: node.children.map(cloneNode) };
}

export function isMultiLine(node: ConfigNode): boolean {
  return multiLineCommands.some((command) => command.test(node.text));
}

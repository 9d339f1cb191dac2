import type { SafetyPolicy } from "./check-command.ts";
import { checkConfigTree, type SafetyFinding, type SafetyNode } from "./check-tree.ts";

/** A line of config text, with its 1-based line number in that text. */
export interface TextNode extends SafetyNode {
  line: number;
  children: TextNode[];
}

/**
 * Checks config text that will become a script (an event template, a generated block): indented
 * the EOS way (any consistent indentation), `!` and blank lines skipped. Each finding carries the
 * line number in `text`, so the caller can point at its own file and line.
 */
export function checkConfigText(text: string, policy: SafetyPolicy): SafetyFinding<TextNode>[] {
  return checkConfigTree(configTextTree(text), policy);
}

/** The indentation tree of config text (banner bodies are not special here: every line is checked). */
export function configTextTree(text: string): TextNode[] {
  const roots: TextNode[] = [];
  const stack: { indent: number; node: TextNode }[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("!")) return;
    const indent = raw.length - raw.trimStart().length;
    while (stack.length > 0 && stack.at(-1)!.indent >= indent) stack.pop();
    const node: TextNode = { text: trimmed, children: [], line: index + 1 };
    (stack.at(-1)?.node.children ?? roots).push(node);
    stack.push({ indent, node });
  });
  return roots;
}

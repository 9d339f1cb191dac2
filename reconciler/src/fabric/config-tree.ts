import { excerpt } from "../redaction/excerpt.ts";
import { fabricError } from "./errors.ts";
import { topLevelPlace } from "./order.ts";
import { indentUnit, multiLineCommands, multiLineTerminator, topLevelOrder } from "./render-rules.ts";
import type { ConfigLine, FabricError, SourcePosition } from "./types.ts";

/** One config command and the commands under it, with where it was written. */
export interface ConfigNode {
  /** The command without indentation (after variable substitution, once rendered). */
  text: string;
  /** The text as written, before substitution. */
  rawText: string;
  children: ConfigNode[];
  position: SourcePosition;
  /** A banner body line: free text up to `EOF`, not a command. */
  isVerbatim?: boolean;
}

/**
 * Builds the tree of config lines by indentation (any consistent indentation; EOS prints 3 spaces).
 * `!` lines and comments, blank lines and a top-level `end` (how EOS config text ends) are not nodes.
 * An indented `end` is a node: inside a section it is a command that leaves config mode, which the
 * safety policy denies. Banner bodies are kept verbatim.
 */
export function parseConfigTree(lines: ConfigLine[]): { nodes: ConfigNode[]; errors: FabricError[] } {
  const roots: ConfigNode[] = [];
  const errors: FabricError[] = [];
  const stack: { indent: number; node: ConfigNode }[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const text = line.text.trim();
    const indent = line.text.length - line.text.trimStart().length;
    if (text === "" || text.startsWith("!") || (text === "end" && indent === 0)) continue;
    while (stack.length > 0 && stack.at(-1)!.indent >= indent) stack.pop();
    const node: ConfigNode = { text, rawText: text, children: [], position: line.position };
    const parent = stack.at(-1)?.node;
    if (!parent && indent > 0 && roots.length === 0) {
      errors.push(
        fabricError(
          "config-indentation",
          line.position,
          `${excerpt(text)} is indented but no section line comes before it`,
          "Start top-level commands in the first column of the block; indent only the lines of a section.",
        ),
      );
    }
    (parent ? parent.children : roots).push(node);
    stack.push({ indent, node });

    if (multiLineCommands.some((command) => command.test(text))) {
      const end = lines.findIndex((candidate, j) => j > i && candidate.text.trim() === multiLineTerminator);
      if (end < 0) {
        errors.push(
          fabricError(
            "unterminated-banner",
            line.position,
            `${excerpt(text)} has no closing ${multiLineTerminator} line`,
            `End the banner text with a line that holds only ${multiLineTerminator}.`,
          ),
        );
        break;
      }
      node.children = lines.slice(i + 1, end).map((body) => ({
        text: body.text,
        rawText: body.text,
        children: [],
        position: body.position,
        isVerbatim: true,
      }));
      stack.pop();
      i = end;
    }
  }
  return { nodes: roots, errors };
}

// Trees are parsed once per config source, not once per rule and member; nothing mutates a parsed tree.
const parsedTrees = new WeakMap<ConfigLine[], ReturnType<typeof parseConfigTree>>();

/** parseConfigTree, cached per lines array (the model's config arrays are never mutated). */
export function configTreeOf(lines: ConfigLine[]): { nodes: ConfigNode[]; errors: FabricError[] } {
  let tree = parsedTrees.get(lines);
  if (!tree) {
    tree = parseConfigTree(lines);
    parsedTrees.set(lines, tree);
  }
  return tree;
}

/** Every node of a tree, depth first, with the section lines above it. */
export function* walkConfigTree(
  nodes: ConfigNode[],
  parents: ConfigNode[] = [],
): Generator<{ node: ConfigNode; parents: ConfigNode[] }> {
  for (const node of nodes) {
    yield { node, parents };
    yield* walkConfigTree(node.children, [...parents, node]);
  }
}

/** running-config text: 3-space indentation, `!` between top-level blocks, banners closed by EOF, `end`. */
export function renderConfigText(nodes: ConfigNode[], header: string[] = []): string {
  const out = [...header];
  let previous: ConfigNode | undefined;
  for (const node of nodes) {
    if (previous === undefined || startsNewBlock(previous, node)) out.push("!");
    renderNode(node, 0, out);
    previous = node;
  }
  out.push("!", "end");
  return `${out.join("\n")}\n`;
}

function renderNode(node: ConfigNode, depth: number, out: string[]): void {
  out.push(indentUnit.repeat(depth) + node.text);
  if (node.children.some((child) => child.isVerbatim) || multiLineCommands.some((c) => c.test(node.text))) {
    for (const child of node.children) out.push(child.text);
    out.push(multiLineTerminator);
    return;
  }
  for (const child of node.children) renderNode(child, depth + 1, out);
  if (depth > 0 && node.children.length > 0) out.push(`${indentUnit.repeat(depth)}!`);
}

/** EOS separates sections, and runs of one-line commands of different kinds, with a `!` line. */
function startsNewBlock(previous: ConfigNode, node: ConfigNode): boolean {
  if (previous.children.length > 0 || node.children.length > 0) return true;
  const [a, b] = [topLevelPlace(previous.text), topLevelPlace(node.text)];
  return a !== b || (a === topLevelOrder.indexOf("*") && firstWord(previous.text) !== firstWord(node.text));
}

function firstWord(text: string): string {
  return text.replace(/^no /, "").split(" ")[0] ?? "";
}

/** Tree → EOS running-config text: 3 spaces per level, `!` between top-level sections and after nested blocks. */
import { modeOf, multilineTerminator, ROOT_MODE } from "./classify.ts";
import { redactSecrets } from "./redact.ts";
import type { ConfigNode, ConfigTree } from "./types.ts";

export const INDENT = "   ";

export interface RenderOptions {
  /** Replace secrets by `<redacted>` (every rendering meant for people). */
  redact?: boolean;
}

export function renderConfig(
  tree: ConfigTree | { children: readonly ConfigNode[] },
  options: RenderOptions = {},
): string {
  const out: string[] = [];
  const top = tree.children;
  for (let i = 0; i < top.length; i++) {
    const node = top[i]!;
    renderNode(node, ROOT_MODE, 0, out);
    if (endsSection(node, top[i + 1])) out.push("!");
  }
  const text = out.length > 0 ? `${out.join("\n")}\n` : "";
  return options.redact ? redactSecrets(text) : text;
}

/**
 * One top-level node's lines as renderConfig writes them, without the `!` that may follow: for
 * joinTopLevel, which renders several selections of the same nodes (a diff per managed section)
 * without rendering a node twice.
 */
export function renderTopLevel(node: ConfigNode): string {
  const out: string[] = [];
  renderNode(node, ROOT_MODE, 0, out);
  return out.join("\n");
}

/** renderConfig of `nodes`, given `texts[i]` = renderTopLevel(nodes[i]) (redacted or not). */
export function joinTopLevel(nodes: readonly ConfigNode[], texts: readonly string[]): string {
  let out = "";
  for (let i = 0; i < nodes.length; i++) {
    out += `${texts[i]}\n`;
    if (endsSection(nodes[i]!, nodes[i + 1])) out += "!\n";
  }
  return out;
}

/** Lines of one family (ntp servers, prefix-list entries) stay together, as EOS prints them. */
function endsSection(node: ConfigNode, next: ConfigNode | undefined): boolean {
  return !next || node.children.length > 0 || next.children.length > 0 || firstWord(next) !== firstWord(node);
}

function renderNode(node: ConfigNode, mode: string, depth: number, out: string[]): void {
  out.push(INDENT.repeat(depth) + node.text);
  if (node.body) {
    out.push(...node.body, multilineTerminator(mode, node.text) ?? "EOF");
  }
  if (node.children.length === 0) return;
  const childMode = modeOf(mode, node.text);
  for (const child of node.children) {
    renderNode(child, childMode, depth + 1, out);
    if (child.children.length > 0) out.push(INDENT.repeat(depth + 1) + "!");
  }
}

function firstWord(node: ConfigNode): string {
  const space = node.text.indexOf(" ");
  return space < 0 ? node.text : node.text.slice(0, space);
}

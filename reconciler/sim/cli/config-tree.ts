/**
 * The simulated switch's config as a tree, and its EOS text form (shared/reference/eos-xmpp.md §4.1):
 * a `! Command:` header, `!` between top-level blocks, children indented 3 spaces per level, a nested
 * block closed by an indented `!`, `end` last. Written for the simulator only: it must not share code with
 * reconciler/src/eos, or verifying through the simulator would test the engine against itself.
 */
import { topLevelRank } from "./rules.ts";

export interface ConfigNode {
  text: string;
  children: ConfigNode[];
  /** A multi-line value (`banner login` … `EOF`): its lines as typed, without the `EOF`. */
  body?: string[];
}

/** Commands whose value is the following lines up to a line `EOF` (eos-xmpp.md §3.4, §4.1). */
export const MULTILINE_COMMAND = /^banner (login|motd)$/;
/** `comment` in any mode takes the following lines up to `EOF`; EOS prints them at the block's indentation. */
export const COMMENT_COMMAND = "comment";

const INDENT = 3;

export function cloneTree(nodes: ConfigNode[]): ConfigNode[] {
  return nodes.map((n) => ({
    text: n.text,
    children: cloneTree(n.children),
    ...(n.body ? { body: [...n.body] } : {}),
  }));
}

/** Parses running-config text: indentation gives nesting; `!` lines and `end` are not nodes. */
export function parseConfig(text: string): ConfigNode[] {
  const root: ConfigNode = { text: "", children: [] };
  const stack: { depth: number; node: ConfigNode }[] = [{ depth: -1, node: root }];
  let body: string[] | undefined;
  let isComment = false;
  for (const raw of text.split(/\r?\n/)) {
    if (body) {
      if (raw.trim() === "EOF") body = undefined;
      else body.push(isComment ? raw.trim() : raw.trimEnd());
      continue;
    }
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("!") || (trimmed === "end" && raw === trimmed)) continue;
    const depth = raw.length - raw.trimStart().length;
    while (stack.length > 1 && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const node: ConfigNode = { text: trimmed.replace(/\s+/g, " "), children: [] };
    isComment = node.text === COMMENT_COMMAND;
    if ((depth === 0 && MULTILINE_COMMAND.test(node.text)) || isComment) body = node.body = [];
    stack[stack.length - 1]!.node.children.push(node);
    stack.push({ depth, node });
  }
  return root.children;
}

/** Top-level blocks in EOS's order: by feature, then VLANs and interfaces by number. */
export function sortTopLevel(nodes: ConfigNode[]): ConfigNode[] {
  // Each block's rank and number parts once, not per comparison: a fleet sorts every config it shows.
  return nodes
    .map((node, index) => ({
      node,
      index,
      rank: rankOf(node.text),
      parts: undefined as string[] | undefined,
    }))
    .sort((a, b) => {
      if (a.rank !== b.rank) return a.rank - b.rank;
      if (a.rank === NUMBERED_RANKS.vlan || a.rank === NUMBERED_RANKS.interface) {
        a.parts ??= a.node.text.split(/(\d+)/);
        b.parts ??= b.node.text.split(/(\d+)/);
        const c = naturalCompare(a.parts, b.parts);
        if (c !== 0) return c;
      }
      return a.index - b.index;
    })
    .map((x) => x.node);
}

/** The ranks of the blocks sorted by number among themselves. */
const NUMBERED_RANKS = { vlan: topLevelRank("vlan 1"), interface: topLevelRank("interface x") };
const ranks = new Map<string, number>();

function rankOf(text: string): number {
  let rank = ranks.get(text);
  if (rank === undefined) {
    rank = topLevelRank(text);
    // bounded: a fleet's distinct top-level lines, kept only while few
    if (ranks.size < 100_000) ranks.set(text, rank);
  }
  return rank;
}

function naturalCompare(pa: string[], pb: string[]): number {
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const nx = Number(x);
    const ny = Number(y);
    if (i % 2 === 1 && !Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return pa.length - pb.length;
}

function renderNode(node: ConfigNode, depth: number, out: string[]): void {
  const indent = " ".repeat(depth * INDENT);
  out.push(`${indent}${node.text}`);
  if (node.body && node.text === COMMENT_COMMAND)
    out.push(...node.body.map((l) => indent + l), `${indent}EOF`);
  else if (node.body) out.push(...node.body, "EOF");
  for (const child of node.children) {
    renderNode(child, depth + 1, out);
    if (child.children.length > 0) out.push(`${" ".repeat((depth + 1) * INDENT)}!`);
  }
}

/** Consecutive top-level leaves of one kind (`ntp server …`, `username …`) are not separated by `!`. */
function sameLeafKind(a: ConfigNode, b: ConfigNode): boolean {
  if (a.children.length > 0 || b.children.length > 0) return false;
  const wa = a.text.replace(/^no /, "").split(" ");
  const wb = b.text.replace(/^no /, "").split(" ");
  return wa[0] === wb[0] && (wa[0] !== "ip" || wa[1] === wb[1]);
}

/** The body of `show running-config` (without header and `end`). */
export function renderBody(nodes: ConfigNode[]): string[] {
  const out: string[] = [];
  const sorted = sortTopLevel(nodes);
  sorted.forEach((node, i) => {
    const prev = sorted[i - 1];
    if (!prev || !sameLeafKind(prev, node)) out.push("!");
    renderNode(node, 0, out);
  });
  out.push("!");
  return out;
}

export function renderConfig(nodes: ConfigNode[], header: string[]): string {
  return [...header, ...renderBody(nodes), "end", ""].join("\n");
}

/** `show running-config section X`: the top-level blocks whose line (or any child line) contains X. */
export function renderSection(nodes: ConfigNode[], filter: string): string {
  const out: string[] = [];
  const matches = (n: ConfigNode): boolean => n.text.includes(filter) || n.children.some(matches);
  for (const node of sortTopLevel(nodes)) {
    if (matches(node)) renderNode(node, 0, out);
  }
  return out.join("\n");
}

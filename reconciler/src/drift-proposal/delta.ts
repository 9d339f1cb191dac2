import { compileScope } from "../eos/index.ts";
import {
  type ConfigLine,
  type ConfigNode,
  commandKey,
  configTreeOf,
  type DeviceRender,
  type Fabric,
  isMultiLine,
  type Removal,
  renderDevice,
} from "../fabric/index.ts";

/** The lines the reconciler renders itself (render.ts): never adopted from a switch. */
const GENERATED = [/^hostname /, /^management xmpp$/];

/** A line git gives a switch and the switch lacks: a top-level block, or a line inside one it has. */
export interface Lack {
  /** The commandKey of each line from the top-level block down to the lacking line, at its depth. */
  path: string[];
  /**
   * The layers whose config gives it, in render order (those after the last `remove:` that took it or
   * a section above it), each with its lines from the top-level block down to the lacking one.
   */
  sources: { source: string; nodes: ConfigNode[] }[];
}

/** How one switch's live config differs from git, by top-level block. */
export interface Delta {
  /**
   * Top-level blocks as the switch has them, where git has them otherwise or not at all; not a block
   * that only lacks lines git gives it (those are lacks).
   */
  adds: ConfigNode[];
  lacks: Lack[];
  /** The switch's render: its layers say which file gives what. */
  render: DeviceRender;
}

export function deltaOf(fabric: Fabric, device: string, runningText: string): Delta {
  const scope = compileScope(fabric.scope);
  const owned = (node: ConfigNode) =>
    scope.isManaged(node.text) && !scope.isIgnored(node.text) && !GENERATED.some((g) => g.test(node.text));
  const lines: ConfigLine[] = runningText
    .split("\n")
    .map((text, i) => ({ text, position: { file: `${device} (running)`, line: i + 1, col: 1 } }));
  const live = configTreeOf(lines).nodes.filter(owned);
  const render = renderDevice(fabric, fabric.devices[device]!);
  const intended = render.nodes.filter(owned);
  const intendedByKey = new Map(intended.map((n) => [topKey(n.text), n]));
  const liveKeys = new Set(live.map((n) => topKey(n.text)));
  const delta: Delta = { adds: [], lacks: [], render };
  const lack = (nodes: ConfigNode[]) => {
    const path = nodes.map((n, depth) => commandKey(n.text, depth));
    delta.lacks.push({ path, sources: sourcesOf(render, path) });
  };
  for (const node of live) {
    const want = intendedByKey.get(topKey(node.text));
    if (!want) {
      delta.adds.push(node);
      continue;
    }
    const missing = missingLines(want, node, 0);
    if (blockText(without(want, missing)) !== blockText(node)) delta.adds.push(node);
    for (const lines of missing) lack([want, ...lines]);
  }
  for (const node of intended) if (!liveKeys.has(topKey(node.text))) lack([node]);
  return delta;
}

/**
 * The lines of `want` that `have` lacks, each with the lines above it under `want`. Only where the merge
 * would combine the two: a line of another text (a different value, another BGP instance) replaces
 * the section whole, lines and all, and a banner is one text.
 */
function missingLines(want: ConfigNode, have: ConfigNode, depth: number): ConfigNode[][] {
  if (isMultiLine(want)) return [];
  return want.children.flatMap((child) => {
    const key = commandKey(child.text, depth + 1);
    const match = have.children.find((c) => commandKey(c.text, depth + 1) === key);
    if (!match) return [[child]];
    if (match.text !== child.text) return [];
    return missingLines(child, match, depth + 1).map((below) => [child, ...below]);
  });
}

/** `node` without the lines `missing` names (paths below it, as missingLines gives them). */
function without(node: ConfigNode, missing: ConfigNode[][]): ConfigNode {
  if (missing.length === 0) return node;
  const children = node.children.flatMap((child) => {
    const below = missing.filter((path) => path[0] === child);
    if (below.some((path) => path.length === 1)) return [];
    const under = below.map((path) => path.slice(1));
    return [without(child, under)];
  });
  return { ...node, children };
}

function sourcesOf(render: DeviceRender, path: string[]): Lack["sources"] {
  let sources: Lack["sources"] = [];
  // The text each section above the line last had: a layer that gives a section of the same command
  // with another text replaces it whole (fabric/merge.ts), and what earlier layers gave under it with it.
  const sections: string[] = [];
  for (const layer of render.layers) {
    if (takesAway(layer.removals, path, 0)) sources = [];
    const nodes = chainOf(layer.nodes, path);
    nodes.slice(0, path.length - 1).forEach((node, depth) => {
      if (sections[depth] !== undefined && sections[depth] !== node.text) sources = [];
      sections[depth] = node.text;
    });
    if (nodes.length === path.length) sources.push({ source: layer.source, nodes });
  }
  return sources;
}

/** Whether the removals take the line at `path` away, or a section above it. */
function takesAway(removals: Removal[], path: string[], depth: number): boolean {
  return removals.some((r) => {
    if (!r.removed || commandKey(r.entry.text, depth) !== path[depth]) return false;
    if (r.entry.children.length === 0) return true;
    return depth + 1 < path.length && takesAway(r.lines, path, depth + 1);
  });
}

/** The nodes from the top level down along `path`, as far as `nodes` has them. */
function chainOf(nodes: ConfigNode[], path: string[]): ConfigNode[] {
  const chain: ConfigNode[] = [];
  let level = nodes;
  for (const [depth, key] of path.entries()) {
    const node = level.find((n) => commandKey(n.text, depth) === key);
    if (!node) break;
    chain.push(node);
    level = node.children;
  }
  return chain;
}

export function topKey(text: string): string {
  return commandKey(text, 0);
}

/** A block as running-config text (3 spaces per level); `raw` keeps what was written, `${vars}` and all. */
export function blockText(node: ConfigNode, raw = false, depth = 0): string {
  const line = `${"   ".repeat(depth)}${raw ? node.rawText : node.text}\n`;
  return line + node.children.map((c) => blockText(c, raw, depth + 1)).join("");
}

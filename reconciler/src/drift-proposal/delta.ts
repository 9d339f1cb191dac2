import { compileScope } from "../eos/index.ts";
import {
  type ConfigLine,
  type ConfigNode,
  commandKey,
  configTreeOf,
  type DeviceRender,
  type Fabric,
  renderDevice,
} from "../fabric/index.ts";

/** The lines the reconciler renders itself (render.ts): never adopted from a switch. */
const GENERATED = [/^hostname /, /^management xmpp$/];

/** A top-level block git gives a switch and the switch lacks. */
export interface Lack {
  /** Its commandKey at the top level. */
  key: string;
  /** The layers whose config gives it, in render order (those after the last `remove:` of it). */
  sources: { source: string; node: ConfigNode }[];
}

/** How one switch's live config differs from git, by top-level block. */
export interface Delta {
  /** Top-level blocks as the switch has them, where git has them otherwise or not at all. */
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
  for (const node of live) {
    const want = intendedByKey.get(topKey(node.text));
    if (!want || blockText(want) !== blockText(node)) delta.adds.push(node);
  }
  for (const node of intended) {
    const key = topKey(node.text);
    if (!liveKeys.has(key)) delta.lacks.push({ key, sources: sourcesOf(render, key) });
  }
  return delta;
}

function sourcesOf(render: DeviceRender, key: string): Lack["sources"] {
  let sources: Lack["sources"] = [];
  for (const layer of render.layers) {
    if (layer.removals.some((r) => r.removed && topKey(r.entry.text) === key)) sources = [];
    const node = layer.nodes.find((n) => topKey(n.text) === key);
    if (node) sources.push({ source: layer.source, node });
  }
  return sources;
}

export function topKey(text: string): string {
  return commandKey(text, 0);
}

/** A block as running-config text (3 spaces per level); `raw` keeps what was written, `${vars}` and all. */
export function blockText(node: ConfigNode, raw = false, depth = 0): string {
  const line = `${"   ".repeat(depth)}${raw ? node.rawText : node.text}\n`;
  return line + node.children.map((c) => blockText(c, raw, depth + 1)).join("");
}

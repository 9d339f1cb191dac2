import { type ConfigNode, configTreeOf, renderConfigText } from "./config-tree.ts";
import { mergeLayer, removeBlocks, type Taken } from "./merge.ts";
import { sortTopLevel } from "./order.ts";
import { type Substitution, substitute, unknownVariableError, type VariableValue } from "./substitute.ts";
import type { ConfigLine, Device, Fabric, FabricError, IntendedConfig, RemoveEntry } from "./types.ts";
import { renderXmppSection } from "./xmpp-block.ts";

/** One source of config for a switch, after variable substitution. */
export interface RenderedLayer {
  /** "fabric.yaml", "groups/leaf.yaml", "devices/leaf1.yaml". */
  source: string;
  nodes: ConfigNode[];
  /** Its `remove:` entries, applied to the layers before it and then its own nodes merged in. */
  removals: Removal[];
}

/** A `remove:` entry of a layer, after variable substitution, and what it took away for this switch. */
export interface Removal {
  /** Its command; its children are the entry's lines (none: the whole block goes). */
  entry: ConfigNode;
  /**
   * The block of an earlier layer it took away, or for an entry with lines, the block it took them
   * from; undefined when no earlier layer gives the command.
   */
  removed: ConfigNode | undefined;
  /** When it took nothing: the earlier lines at its level of the same first word (for the error's hint). */
  alike: string[];
  /** For an entry with lines, what each of them took from `removed`, in the same shape. */
  lines: Removal[];
}

/** Everything rendering one switch produced; validation rules read the layers, renderIntended the nodes. */
export interface DeviceRender {
  device: string;
  layers: RenderedLayer[];
  /** The merged config in running-config order, including the generated hostname and management xmpp. */
  nodes: ConfigNode[];
  errors: FabricError[];
  unknownVariables: Substitution["unknown"];
  variables: ReadonlyMap<string, VariableValue>;
}

/** A fabric that does not render: only when it did not pass validateFabric. */
export class FabricRenderError extends Error {
  override name = "FabricRenderError";
  constructor(
    message: string,
    readonly errors: FabricError[],
  ) {
    super(message);
  }
}

/**
 * The switch's intended config (DESIGN §3): fabric baseline, then each group's config in membership order,
 * then the device's own config, each later line replacing an earlier one that sets the same command, and
 * each group's and the device's `remove:` entries taking a top-level block, or some of its lines, out
 * of the layers before it;
 * then the hostname and `management xmpp` lines rendered from the device and its groups.
 * Throws for an unknown device or a fabric that does not validate (both are caller bugs).
 * `rendered`: the device's render from validateFabric of this fabric, instead of rendering it again.
 */
export function renderIntended(fabric: Fabric, deviceName: string, rendered?: DeviceRender): IntendedConfig {
  const device = fabric.devices[deviceName];
  if (!device) {
    throw new Error(
      `no device "${deviceName}" in fabric ${fabric.name} (known: ${Object.keys(fabric.devices).join(", ")})`,
    );
  }
  const render = rendered ?? renderDevice(fabric, device);
  const errors = [
    ...render.errors,
    ...render.unknownVariables.map((u) =>
      unknownVariableError(u.name, u.position, [device.name], render.variables.keys()),
    ),
  ];
  if (errors.length > 0) {
    throw new FabricRenderError(`device ${deviceName} does not render: ${errors[0]!.message}`, errors);
  }
  const header = [`! device: ${device.hostname} (intended config, fabric ${fabric.name})`];
  return { device: device.name, text: renderConfigText(render.nodes, header) };
}

export function renderDevice(fabric: Fabric, device: Device): DeviceRender {
  const variables = buildVariables(fabric, device);
  const sources: { source: string; lines: ConfigLine[]; remove: RemoveEntry[] }[] = [
    { source: "fabric.yaml", lines: fabric.baseline, remove: [] },
    ...device.groups.flatMap((name) => {
      const group = fabric.groups[name];
      return group ? [{ source: group.position.file, lines: group.config, remove: group.remove }] : [];
    }),
    { source: device.position.file, lines: device.config, remove: device.remove },
  ];
  const errors: FabricError[] = [];
  const unknownVariables: Substitution["unknown"] = [];
  const substituteNode = (node: ConfigNode): ConfigNode => {
    const result = substitute(node.text, variables, node.position);
    errors.push(...result.errors);
    unknownVariables.push(...result.unknown);
    return { ...node, text: result.text, children: node.children.map(substituteNode) };
  };
  const merged: ConfigNode[] = [];
  const layers = sources.map(({ source, lines, remove }): RenderedLayer => {
    const nodes = configTreeOf(lines).nodes.map(substituteNode);
    const entries = remove.map((entry) => substituteNode(entryNode(entry)));
    const removals = removalsOf(entries, removeBlocks(merged, entries), merged);
    mergeLayer(merged, nodes);
    return { source, nodes, removals };
  });
  const hostname = `hostname ${device.hostname}`;
  mergeLayer(merged, [
    { text: hostname, rawText: hostname, children: [], position: device.position },
    renderXmppSection(fabric.xmpp, device, fabric.managementPath.vrf),
  ]);
  return { device: device.name, layers, nodes: sortTopLevel(merged), errors, unknownVariables, variables };
}

/** A `remove:` entry as a config node: its lines are its children. */
function entryNode({ line, lines }: RemoveEntry): ConfigNode {
  const text = line.text.trim();
  return { text, rawText: text, children: lines.map(entryNode), position: line.position };
}

/** Each entry with what it took, and for one that took nothing, the lines alike it in `container`. */
function removalsOf(entries: ConfigNode[], taken: Taken[], container: ConfigNode[]): Removal[] {
  return entries.map((entry, i): Removal => {
    const { block, lines } = taken[i]!;
    return {
      entry,
      removed: block,
      alike: block ? [] : linesAlike(container, entry.text),
      lines: block ? removalsOf(entry.children, lines, block.children) : [],
    };
  });
}

/** The lines of `nodes` whose first word (after `no`) is that of `text`. */
function linesAlike(nodes: ConfigNode[], text: string): string[] {
  const word = (line: string) => line.replace(/^no\s+/, "").split(" ")[0];
  return nodes.filter((node) => word(node.text) === word(text)).map((node) => node.text);
}

/**
 * Variables for one switch: built-ins, then fabric vars, then each group's in membership order (a later
 * group wins), then the device's (DESIGN §3: device > groups > fabric).
 */
export function buildVariables(fabric: Fabric, device: Device): Map<string, VariableValue> {
  const variables = new Map<string, VariableValue>([
    ["hostname", { value: device.hostname, from: "built-in" }],
    ["device", { value: device.name, from: "built-in" }],
  ]);
  const add = (vars: Record<string, string>, from: string) => {
    for (const [name, value] of Object.entries(vars)) variables.set(name, { value, from });
  };
  add(fabric.vars, "fabric.yaml");
  for (const name of device.groups) {
    const group = fabric.groups[name];
    if (group) add(group.vars, group.position.file);
  }
  add(device.vars, device.position.file);
  return variables;
}

import { parseDocument, Scalar } from "yaml";
import { compareInScope, compileScope, parseConfig } from "../eos/index.ts";
import {
  type ConfigLine,
  type ConfigNode,
  commandKey,
  configTreeOf,
  type Fabric,
  renderDevice,
  renderIntended,
  validateFabric,
} from "../fabric/index.ts";
import type { Adoption, AdoptionInput } from "./types.ts";

/** The lines the reconciler renders itself (render.ts): never adopted from a switch. */
const GENERATED = [/^hostname /, /^management xmpp$/];

interface Delta {
  /** Top-level blocks as the switch has them, where git has them otherwise or not at all. */
  adds: ConfigNode[];
  /** Keys of blocks git has in the device file only and the switch lacks. */
  removes: string[];
  /** Blocks the switch lacks that come from a group or the baseline: the device file cannot take them away. */
  inherited: string[];
}

/**
 * The edits that write drifted switches' live config into git (pure): every top-level block that
 * differs goes into the device file as the switch has it (a later layer replaces an earlier one's
 * block, fabric/merge.ts), or into a group's file when every member of the group drifted the same
 * way; a block the switch lacks is taken out of the device file. The result is checked the way a
 * plan would: the edited repo must validate, and each adopted switch's intended config must equal
 * its running config in scope. A switch that fails is left out (with why) and the rest re-checked.
 */
export function adoptDrift(input: AdoptionInput): Adoption {
  const notAdopted: Adoption["notAdopted"] = [];
  let candidates = new Map(input.running);
  for (let round = 0; round <= input.running.size; round++) {
    const loaded = validateFabric({ files: input.files });
    if (!loaded.ok) throw new Error("adoptDrift needs the valid fabric the drift was found against");
    const attempt = propose(loaded.fabric, input.files, candidates, notAdopted);
    const edited = validateFabric({ files: { ...input.files, ...attempt.edits } });
    if (!edited.ok) {
      const bad = new Set(edited.errors.map((e) => e.position.file));
      const blamed = attempt.adopted.filter((a) => bad.has(a.file));
      const culprits = blamed.length > 0 ? blamed : attempt.adopted;
      for (const { device, file } of culprits) {
        const error = edited.errors.find((e) => e.position.file === file) ?? edited.errors[0];
        notAdopted.push({ device, why: `the live config does not validate in ${file}: ${error?.message}` });
        candidates.delete(device);
      }
      continue;
    }
    const differing = attempt.adopted.filter(({ device }) => {
      const intended = renderIntended(edited.fabric, device).text;
      const check = compareInScope(
        parseConfig(input.running.get(device)!),
        parseConfig(intended),
        edited.fabric.scope,
      );
      if (check.equal) return false;
      notAdopted.push({ device, why: `git cannot say this as it stands: ${check.firstDifference}` });
      return true;
    });
    if (differing.length === 0) return { ...attempt, notAdopted };
    candidates = new Map([...candidates].filter(([d]) => !differing.some((x) => x.device === d)));
  }
  return { edits: {}, adopted: [], notAdopted };
}

function propose(
  fabric: Fabric,
  files: Record<string, string>,
  running: Map<string, string>,
  notAdopted: Adoption["notAdopted"],
): Omit<Adoption, "notAdopted"> {
  const deltas = new Map<string, Delta>();
  for (const [device, text] of running) {
    if (!fabric.devices[device]) continue;
    const delta = deltaOf(fabric, device, text);
    if (delta.inherited.length > 0) {
      notAdopted.push({
        device,
        why: `it lacks ${delta.inherited.map((t) => `\`${t}\``).join(", ")}, which its groups or the baseline give it; remove that there or heal the switch`,
      });
    } else if (delta.adds.length > 0 || delta.removes.length > 0) deltas.set(device, delta);
  }
  const edits: Record<string, string> = {};
  const adopted: Omit<Adoption, "notAdopted">["adopted"] = [];
  // The group whose members all drifted alike takes the lines once; the largest such group first.
  const groups = Object.values(fabric.groups).sort((a, b) => b.members.length - a.members.length);
  for (const group of groups) {
    const deltasOf = group.members.map((m) => deltas.get(m));
    if (group.members.length < 2 || deltasOf.some((d) => !d || d.removes.length > 0)) continue;
    const shapes = new Set(deltasOf.map((d) => d!.adds.map((n) => blockText(n)).join("\n")));
    if (shapes.size !== 1) continue;
    const layer = renderDevice(fabric, fabric.devices[group.members[0]!]!).layers.find(
      (l) => l.source === group.position.file,
    );
    edits[group.position.file] = withConfig(
      files[group.position.file]!,
      edit(group.config, layer?.nodes ?? [], deltasOf[0]!.adds, []),
    );
    for (const member of group.members) {
      adopted.push({ device: member, file: group.position.file });
      deltas.delete(member);
    }
  }
  for (const [device, delta] of deltas) {
    const d = fabric.devices[device]!;
    const layer = renderDevice(fabric, d).layers.at(-1)!;
    edits[d.position.file] = withConfig(
      files[d.position.file]!,
      edit(d.config, layer.nodes, delta.adds, delta.removes),
    );
    adopted.push({ device, file: d.position.file });
  }
  return { edits, adopted };
}

function deltaOf(fabric: Fabric, device: string, runningText: string): Delta {
  const scope = compileScope(fabric.scope);
  const owned = (node: ConfigNode) =>
    scope.isManaged(node.text) && !scope.isIgnored(node.text) && !GENERATED.some((g) => g.test(node.text));
  const lines: ConfigLine[] = runningText
    .split("\n")
    .map((text, i) => ({ text, position: { file: `${device} (running)`, line: i + 1, col: 1 } }));
  const live = configTreeOf(lines).nodes.filter(owned);
  const render = renderDevice(fabric, fabric.devices[device]!);
  const intended = render.nodes.filter(owned);
  const key = (n: ConfigNode) => commandKey(n.text, 0);
  const intendedByKey = new Map(intended.map((n) => [key(n), n]));
  const liveKeys = new Set(live.map(key));
  const own = render.layers.at(-1)!.nodes.map(key);
  const elsewhere = new Set(render.layers.slice(0, -1).flatMap((l) => l.nodes.map(key)));
  const delta: Delta = { adds: [], removes: [], inherited: [] };
  for (const node of live) {
    const want = intendedByKey.get(key(node));
    if (!want || blockText(want) !== blockText(node)) delta.adds.push(node);
  }
  for (const node of intended) {
    if (liveKeys.has(key(node))) continue;
    if (own.includes(key(node)) && !elsewhere.has(key(node))) delta.removes.push(key(node));
    else delta.inherited.push(node.text);
  }
  return delta;
}

/**
 * A layer's config lines with `adds` replacing the block of the same command (or appended) and
 * `removes` taken out. Untouched blocks keep their text as written (variables and all); `substituted`
 * is the same layer after substitution, which says what command each written block is.
 */
function edit(
  written: ConfigLine[],
  substituted: ConfigNode[],
  adds: ConfigNode[],
  removes: string[],
): string {
  const raw = configTreeOf(written).nodes.map((node, i) => ({
    key: commandKey((substituted[i] ?? node).text, 0),
    node,
  }));
  const kept = raw.filter((r) => !removes.includes(r.key));
  for (const add of adds) {
    const key = commandKey(add.text, 0);
    const at = kept.findIndex((r) => r.key === key);
    if (at >= 0) kept[at] = { key, node: add };
    else kept.push({ key, node: add });
  }
  return kept.map((r) => blockText(r.node, true)).join("!\n");
}

/** A block as running-config text (3 spaces per level); `raw` keeps what was written, `${vars}` and all. */
function blockText(node: ConfigNode, raw = false, depth = 0): string {
  const line = `${"   ".repeat(depth)}${raw ? node.rawText : node.text}\n`;
  return line + node.children.map((c) => blockText(c, raw, depth + 1)).join("");
}

/** The YAML file with its `config` set to `text` as a literal block; comments and the rest stay. */
function withConfig(yamlText: string, text: string): string {
  const doc = parseDocument(yamlText);
  if (text === "") {
    doc.delete("config");
    return doc.toString();
  }
  const scalar = new Scalar(text);
  scalar.type = Scalar.BLOCK_LITERAL;
  doc.set("config", scalar);
  return doc.toString();
}

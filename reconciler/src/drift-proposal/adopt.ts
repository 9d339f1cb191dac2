import { compareInScope, parseConfig } from "../eos/index.ts";
import { type Fabric, renderIntended, validateFabric } from "../fabric/index.ts";
import { blockText, type Delta, deltaOf, topKey } from "./delta.ts";
import { editLayerFile, type LayerChange } from "./layer-edit.ts";
import type { Adoption, AdoptionInput } from "./types.ts";

/**
 * The edits that write drifted switches' live config into git (pure): every top-level block that
 * differs goes into the device file as the switch has it (a later layer replaces an earlier one's
 * block, fabric/merge.ts), or into a group's file when every member of the group drifted the same
 * way; a block, or a line of one, that the switch lacks is taken out of that file's config, and a
 * `remove:` entry there takes it away from the layers before (the baseline, earlier groups). The
 * result is checked the way a plan would: the edited repo must validate, and each adopted switch's
 * intended config must equal its running config in scope. A switch that fails is left out (with why) and the rest re-checked.
 */
export function adoptDrift(input: AdoptionInput): Adoption {
  const notAdopted: Adoption["notAdopted"] = [];
  let candidates = new Map(input.running);
  for (let round = 0; round <= input.running.size; round++) {
    const loaded = validateFabric({ files: input.files });
    if (!loaded.ok) throw new Error("adoptDrift needs the valid fabric the drift was found against");
    const attempt = propose(loaded.fabric, input.files, candidates);
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
): Omit<Adoption, "notAdopted"> {
  const deltas = new Map<string, Delta>();
  for (const [device, text] of running) {
    if (!fabric.devices[device]) continue;
    const delta = deltaOf(fabric, device, text);
    if (delta.adds.length > 0 || delta.lacks.length > 0) deltas.set(device, delta);
  }
  const edits: Record<string, string> = {};
  const adopted: Omit<Adoption, "notAdopted">["adopted"] = [];
  // The group whose members all drifted alike takes the change once; the largest such group first.
  const groups = Object.values(fabric.groups).sort((a, b) => b.members.length - a.members.length);
  for (const group of groups) {
    const file = group.position.file;
    const changes = group.members.map((m) => {
      const delta = deltas.get(m);
      return delta && changeIn(delta, file);
    });
    if (group.members.length < 2 || changes.some((c) => !c)) continue;
    if (new Set(changes.map((c) => shapeOf(c!))).size !== 1) continue;
    const layer = deltas.get(group.members[0]!)!.render.layers.find((l) => l.source === file);
    edits[file] = editLayerFile({ text: files[file]!, config: group.config, layer }, changes[0]!);
    for (const member of group.members) {
      adopted.push({ device: member, file });
      deltas.delete(member);
    }
  }
  for (const [device, delta] of deltas) {
    const d = fabric.devices[device]!;
    const file = d.position.file;
    const layer = delta.render.layers.at(-1);
    edits[file] = editLayerFile({ text: files[file]!, config: d.config, layer }, changeIn(delta, file)!);
    adopted.push({ device, file });
  }
  return { edits, adopted };
}

/**
 * What `file` (one of the switch's layers) must change to say the switch's delta: the adds as they
 * are; a lacking block or line out of its config when it gives it, and a `remove:` entry when a layer
 * before it gives it. Undefined when a layer after `file` gives a lacking one (it cannot take that away).
 */
function changeIn(delta: Delta, file: string): LayerChange | undefined {
  const order = delta.render.layers.map((l) => l.source);
  const at = order.indexOf(file);
  // A block written as the switch has it replaces the file's own, so it drops the file's lines already.
  const written = new Set(delta.adds.map((n) => topKey(n.text)));
  const change: LayerChange = { adds: delta.adds, drops: [], removes: [] };
  for (const lack of delta.lacks) {
    if (lack.sources.some((s) => order.indexOf(s.source) > at)) return undefined;
    if (lack.sources.some((s) => s.source === file) && !written.has(lack.path[0]!))
      change.drops.push(lack.path);
    const earlier = lack.sources.filter((s) => s.source !== file).at(-1);
    if (earlier) change.removes.push({ lines: earlier.nodes.map((n) => n.rawText), path: lack.path });
  }
  return change;
}

/** Members drifted alike when their changes of the group file are the same. */
function shapeOf(change: LayerChange): string {
  return JSON.stringify([change.adds.map((n) => blockText(n)), change.drops, change.removes]);
}

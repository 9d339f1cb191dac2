import type { CliMode } from "../fabric/types.ts";
import { blockKey, splitBlocks } from "./blocks.ts";
import type { Batch } from "./types.ts";

export interface FactorInput {
  /** Remediation per switch with changes. */
  remediations: Map<string, string[]>;
  /** Switches currently in each group's room, read from their running `switch-group` lines. */
  roomOccupants: Map<string, Set<string>>;
  /** Rollout wave of each switch with changes. */
  waveOf: Map<string, number>;
  /** Each switch's CLI framing: one room message is framed one way, so its members must share it. */
  framingOf?: Map<string, CliMode>;
}

export interface FactorResult {
  batches: Batch[];
  /** Per switch, the commands in the order they will run: its group batches, then its own. */
  executionOrder: Map<string, string[]>;
}

/**
 * Factors identical deltas per group (DESIGN §5): a block that every member of a group needs goes
 * once to the group's room. A group qualifies only when the room holds exactly the switches that
 * need the block — a groupchat runs on every occupant, so an extra occupant would be changed
 * unasked — all of them roll out in the same wave, and all take CLI in the same framing.
 */
export function factorByGroup(input: FactorInput): FactorResult {
  const remaining = new Map<string, string[][]>();
  for (const [device, commands] of input.remediations) remaining.set(device, splitBlocks(commands));

  const batches: Batch[] = [];
  const groupBatchesOf = new Map<string, string[][]>();
  const candidates = [...input.roomOccupants.entries()]
    .filter(([, occupants]) => occupants.size >= 2)
    .sort(([a, x], [b, y]) => y.size - x.size || a.localeCompare(b));

  for (const [group, occupants] of candidates) {
    const members = [...occupants].sort();
    if (!members.every((d) => remaining.has(d))) continue;
    const waves = new Set(members.map((d) => input.waveOf.get(d)));
    if (waves.size !== 1) continue;
    if (input.framingOf && new Set(members.map((d) => input.framingOf!.get(d))).size !== 1) continue;

    const common = commonBlocks(members.map((d) => remaining.get(d)!));
    if (common.length === 0) continue;
    const shared = new Set(common.map(blockKey));
    for (const device of members) {
      remaining.set(
        device,
        remaining.get(device)!.filter((block) => !shared.has(blockKey(block))),
      );
      groupBatchesOf.set(device, [...(groupBatchesOf.get(device) ?? []), common.flat()]);
    }
    batches.push({
      id: `group:${group}`,
      target: { kind: "group", group, members },
      wave: input.waveOf.get(members[0]!)!,
      commands: common.flat(),
    });
  }

  const executionOrder = new Map<string, string[]>();
  for (const [device, blocks] of remaining) {
    const own = blocks.flat();
    if (own.length > 0) {
      batches.push({
        id: `device:${device}`,
        target: { kind: "device", device },
        wave: input.waveOf.get(device)!,
        commands: own,
      });
    }
    executionOrder.set(device, [...(groupBatchesOf.get(device) ?? []).flat(), ...own]);
  }
  batches.sort((a, b) => a.wave - b.wave || kindRank(a) - kindRank(b) || a.id.localeCompare(b.id));
  return { batches, executionOrder };
}

function kindRank(batch: Batch): number {
  return batch.target.kind === "group" ? 0 : 1;
}

/** Blocks present in every list, in the order of the first list. */
function commonBlocks(lists: string[][][]): string[][] {
  const [first, ...others] = lists;
  if (!first) return [];
  const otherKeys = others.map((blocks) => new Set(blocks.map(blockKey)));
  return first.filter((block) => otherKeys.every((keys) => keys.has(blockKey(block))));
}

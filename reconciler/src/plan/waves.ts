import type { RolloutSettings } from "../fabric/types.ts";

/**
 * Rollout waves (DESIGN §7): the canary goes alone (the first group in `rollout.order`, or the
 * first N switches when `canarySwitches` is set), then one wave per remaining group in order, then
 * every switch in no ordered group — or, with `waves: canary-then-rest`, everything after the canary
 * in one wave. Only switches with changes take part.
 */
export function planWaves(
  changed: string[],
  groupMembers: Record<string, string[]>,
  rollout: Pick<RolloutSettings, "order" | "canarySwitches"> & Partial<Pick<RolloutSettings, "waves">>,
): string[][] {
  const waves = perGroupWaves(changed, groupMembers, rollout);
  if (rollout.waves !== "canary-then-rest" || waves.length <= 2) return waves;
  return [waves[0]!, waves.slice(1).flat()];
}

function perGroupWaves(
  changed: string[],
  groupMembers: Record<string, string[]>,
  rollout: Pick<RolloutSettings, "order" | "canarySwitches">,
): string[][] {
  const pending = new Set(changed);
  const ordered: string[] = [];
  const groupWaves: string[][] = [];
  for (const group of rollout.order) {
    const wave = (groupMembers[group] ?? []).filter((d) => pending.has(d)).sort();
    for (const device of wave) pending.delete(device);
    ordered.push(...wave);
    groupWaves.push(wave);
  }
  const rest = [...pending].sort();
  groupWaves.push(rest);
  ordered.push(...rest);

  if (rollout.canarySwitches > 0) {
    const canary = ordered.slice(0, rollout.canarySwitches);
    const inCanary = new Set(canary);
    return [canary, ...groupWaves.map((wave) => wave.filter((d) => !inCanary.has(d)))].filter(
      (wave) => wave.length > 0,
    );
  }
  return groupWaves.filter((wave) => wave.length > 0);
}

/**
 * The phased floor's messages (bench/scale.ts via phased-floor.ts, bench/e2e.ts): the same messages as a
 * rollout of `plan`, each a bare request/reply (`show hostname`), in the rollout's dependency order with
 * a barrier at every step: observe all; per wave: its batches, then commit, confirm and save (each per
 * room where the plan has one, else per switch). What a real run takes beyond this is the reconciler's
 * own work, not the protocol's shape.
 */
import pLimit from "p-limit";
import type { Fabric } from "../reconciler/src/fabric/types.ts";
import type { Plan } from "../reconciler/src/plan/index.ts";
import type { Transport } from "../reconciler/src/transport/index.ts";

/** Sends them; returns how many messages went. */
export async function sendFloorMessages(
  transport: Transport,
  fabric: Fabric,
  plan: Pick<Plan, "waves" | "batches">,
): Promise<number> {
  const wide = pLimit(fabric.rollout.maxParallel * 4);
  const narrow = pLimit(fabric.rollout.maxParallel);
  let messages = 0;
  const bare = async (device: string) => {
    messages++;
    await transport.send(device, "show hostname");
  };
  const room = async (group: string, members: string[]) => {
    messages++;
    const replies = await transport.sendToGroup(group, "show hostname", { members });
    const failed = [...replies.values()].filter((r) => !r.ok).length;
    if (failed > 0) throw new Error(`${group}: ${failed} members did not answer`);
  };
  await Promise.all(Object.keys(fabric.devices).map((d) => wide(() => bare(d))));
  for (const [index, wave] of plan.waves.entries()) {
    const batches = plan.batches.filter((b) => b.wave === index);
    await Promise.all(
      batches.map((b) =>
        narrow(() =>
          b.target.kind === "group" ? room(b.target.group, b.target.members) : bare(b.target.device),
        ),
      ),
    );
    const rooms = batches.flatMap((b) => (b.target.kind === "group" ? [b.target] : []));
    const inRooms = new Set(rooms.flatMap((r) => r.members));
    for (let step = 0; step < 3; step++) {
      await Promise.all([
        ...rooms.map((r) => narrow(() => room(r.group, r.members))),
        ...wave.filter((d) => !inRooms.has(d)).map((d) => narrow(() => bare(d))),
      ]);
    }
  }
  return messages;
}

/**
 * The phased floor of bench/scale.ts, in its own process like the reconciler: connect with the
 * reconciler's transport, then the same messages as a rollout of the given plan, each a bare request/reply
 * (`show hostname`), in the rollout's dependency order with a barrier at every step: observe all; per
 * wave: its batches, then commit, confirm and save (each per room where the plan has one, else per switch). What a real run
 * takes beyond this is the reconciler's own work, not the protocol's shape.
 *
 *   node --import tsx bench/phased-floor.ts REPO PLAN.json   (XMPP settings from the environment)
 */
import { readFile } from "node:fs/promises";
import pLimit from "p-limit";
import { loadFabric } from "../reconciler/src/fabric/index.ts";
import type { Plan } from "../reconciler/src/plan/index.ts";
import { openFabricTransport } from "../reconciler/src/transport/index.ts";

const [repo, planFile] = process.argv.slice(2) as [string, string];
const loaded = await loadFabric(repo);
if (!loaded.ok) throw new Error("invalid fabric");
const fabric = loaded.fabric;
const plan = JSON.parse(await readFile(planFile, "utf8")) as Plan;
const transport = await openFabricTransport(fabric, { env: process.env, repoDir: repo });
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

const start = performance.now();
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
  // commit, confirm, save: each per room where the wave has one, else per switch
  for (let step = 0; step < 3; step++) {
    await Promise.all([
      ...rooms.map((r) => narrow(() => room(r.group, r.members))),
      ...wave.filter((d) => !inRooms.has(d)).map((d) => narrow(() => bare(d))),
    ]);
  }
}
const messagesMs = Math.round(performance.now() - start);
await transport.close();
console.log(JSON.stringify({ messages, messagesMs }));

/**
 * The phased floor of bench/scale.ts, in its own process like the reconciler: connect with the
 * reconciler's transport, then the same messages as a rollout of the given plan as bare request/replies
 * (floor-messages.ts).
 *
 *   node --import tsx bench/phased-floor.ts REPO PLAN.json   (XMPP settings from the environment)
 */
import { readFile } from "node:fs/promises";
import { loadFabric } from "../reconciler/src/fabric/index.ts";
import type { Plan } from "../reconciler/src/plan/index.ts";
import { openFabricTransport } from "../reconciler/src/transport/index.ts";
import { sendFloorMessages } from "./floor-messages.ts";

const [repo, planFile] = process.argv.slice(2) as [string, string];
const loaded = await loadFabric(repo);
if (!loaded.ok) throw new Error("invalid fabric");
const fabric = loaded.fabric;
const plan = JSON.parse(await readFile(planFile, "utf8")) as Plan;
const transport = await openFabricTransport(fabric, { env: process.env, repoDir: repo });
const start = performance.now();
const messages = await sendFloorMessages(transport, fabric, plan);
const messagesMs = Math.round(performance.now() - start);
await transport.close();
console.log(JSON.stringify({ messages, messagesMs }));

/**
 * End-to-end benchmark (issue 6): N simulated switches in G groups on one local Prosody, each needing
 * about 20 changed lines of which 80 % are common to its group. Measures plan + apply + verify wall
 * time and XMPP messages with group-room factoring, the same with a naive per-switch push, and the
 * transport floor: the same number of bare request/replies on the same connection.
 *
 *   npm run bench:e2e -- [--switches 200] [--groups 4] [--group-replies room|sender] [--waves per-group|canary-then-rest]
 */
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pLimit from "p-limit";
import { simpleGit } from "simple-git";
import { startLab } from "../reconciler/sim/lab.ts";
import { loadFabric, renderIntended } from "../reconciler/src/fabric/index.ts";
import { fileJournal } from "../reconciler/src/journal/index.ts";
import { fileLocks } from "../reconciler/src/lock/index.ts";
import { createFabricRunner } from "../reconciler/src/reconcile/index.ts";
import { gitSource } from "../reconciler/src/source/index.ts";
import { openFabricTransport } from "../reconciler/src/transport/index.ts";
import { sendFloorMessages } from "./floor-messages.ts";
import { writeBenchFabric } from "./generate-fabric.ts";

const { values } = parseArgs({
  options: {
    switches: { type: "string", default: "200" },
    groups: { type: "string", default: "4" },
    // Where the simulated switches answer a room command (undocumented for EOS): room | sender.
    "group-replies": { type: "string", default: "room" },
    waves: { type: "string", default: "per-group" },
  },
});
const waves = values.waves === "canary-then-rest" ? "canary-then-rest" : "per-group";
const groupReplies = values["group-replies"] === "sender" ? "sender" : "room";
const switches = Number(values.switches);
const groupCount = Number(values.groups);

const root = await mkdtemp(join(tmpdir(), "bench-e2e-"));
const repo = join(root, "fabric");
const generated = await writeBenchFabric(repo, switches, groupCount, { waves });
const git = simpleGit(repo);
await git.init(["--initial-branch=main", "--quiet"]);
await git.addConfig("user.email", "bench@fabric.invalid").addConfig("user.name", "Bench");
await git.add(".").commit("bench fabric");
const loaded = await loadFabric(repo);
if (!loaded.ok)
  throw new Error(loaded.errors.map((e) => `${e.position.file}:${e.position.line} ${e.message}`).join("\n"));
const fabric = loaded.fabric;

const t0 = performance.now();
const lab = await startLab({
  fabric,
  running: generated.outdated,
  groupReplies,
  serverOptions: { mucPresenceBroadcastModeratorOnly: true },
  // The rooms as the README has them set up (the reconciler their owner): with only moderators' presence
  // broadcast, the owner is who may ask a room for its occupants (transport/occupant-list.ts).
  hardenRooms: {},
});
const labMs = performance.now() - t0;

function reset(): void {
  for (const sw of lab.fleet.switches.values()) {
    for (const name of [...sw.store.sessions.keys()]) sw.store.abort(name);
    sw.setRunningConfig(generated.outdated(sw.name, renderIntended(fabric, sw.name).text));
  }
}

async function applyOnce(factorGroups: boolean) {
  reset();
  // Where the time goes: the runner's phase events, stamped.
  const phaseStart = new Map<string, number>();
  const runner = createFabricRunner({
    onEvent: (event) => {
      if (event.type === "phase") phaseStart.set(event.phase, performance.now());
    },
    source: gitSource({ source: repo, cacheDir: join(root, "cache") }),
    journal: fileJournal(join(root, "state", "journal.jsonl")),
    lock: fileLocks(join(root, "state", "locks")),
    openChannel: (f, repoDir) => openFabricTransport(f, { env: lab.env, repoDir }),
    factorGroups,
  });
  const start = performance.now();
  const outcome = await runner.apply({ trigger: "cli" });
  const wallMs = performance.now() - start;
  if (!outcome.ok) throw new Error(outcome.message);
  if (outcome.result.outcome !== "succeeded")
    throw new Error(`apply ${outcome.result.outcome}: ${outcome.result.message}`);
  const observeMessages = switches; // one `show running-config` per switch
  const at = (phase: string) => phaseStart.get(phase) ?? start;
  const end = start + wallMs;
  return {
    wallMs: Math.round(wallMs),
    phasesMs: {
      sourceAndValidate: Math.round(at("observe") - start),
      connectAndObserve: Math.round(at("plan") - at("observe")),
      plan: Math.round(at("apply") - at("plan")),
      rollout: Math.round(end - at("apply")),
    },
    plan: outcome.plan,
    messages: observeMessages + outcome.result.messages,
    rolloutMessages: outcome.result.messages,
    batches: outcome.plan.summary.batches,
    groupBatches: outcome.plan.summary.groupBatches,
    commandLines: outcome.plan.summary.commands,
  };
}

/** The phased floor (floor-messages.ts): the same messages as bare request/replies. */
async function phasedFloor(plan: Awaited<ReturnType<typeof applyOnce>>["plan"]) {
  const transport = await openFabricTransport(fabric, { env: lab.env, repoDir: repo });
  const start = performance.now();
  await sendFloorMessages(transport, fabric, plan);
  const wallMs = performance.now() - start;
  await transport.close();
  return { wallMs: Math.round(wallMs) };
}

/** The same number of bare request/replies (`show hostname`), as parallel as observation runs. */
async function transportFloor(requests: number) {
  const transport = await openFabricTransport(fabric, { env: lab.env, repoDir: repo });
  const names = Object.keys(fabric.devices);
  const limit = pLimit(fabric.rollout.maxParallel * 4);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: requests }, (_, i) =>
      limit(() => transport.send(names[i % names.length]!, "show hostname")),
    ),
  );
  const wallMs = performance.now() - start;
  await transport.close();
  return { requests, wallMs: Math.round(wallMs) };
}

// Warm up (JIT, TLS session code, module loading), then alternate the two ways and keep the median.
await applyOnce(true);
const rounds = 3;
const oursRuns: Awaited<ReturnType<typeof applyOnce>>[] = [];
const naiveRuns: Awaited<ReturnType<typeof applyOnce>>[] = [];
const floorRuns: Awaited<ReturnType<typeof transportFloor>>[] = [];
const phasedRuns: Awaited<ReturnType<typeof phasedFloor>>[] = [];
for (let i = 0; i < rounds; i++) {
  oursRuns.push(await applyOnce(true));
  naiveRuns.push(await applyOnce(false));
  floorRuns.push(await transportFloor(oursRuns[0]!.messages));
  phasedRuns.push(await phasedFloor(oursRuns[0]!.plan));
}
const median = <T extends { wallMs: number }>(runs: T[]): T =>
  [...runs].sort((a, b) => a.wallMs - b.wallMs)[Math.floor(runs.length / 2)]!;
const ours = median(oursRuns);
const naive = median(naiveRuns);
const floor = median(floorRuns);
const phased = median(phasedRuns);
const report = ({ plan: _plan, ...rest }: (typeof oursRuns)[number]) => rest;
await lab.stop();
await rm(root, { recursive: true, force: true });

console.log(
  JSON.stringify({
    switches,
    groups: groupCount,
    groupReplies,
    waves,
    cpus: cpus().length,
    node: process.version,
    labStartMs: Math.round(labMs),
    ours: report(ours),
    naive: report(naive),
    floor,
    phasedFloor: phased,
    messageRatio: Number((ours.messages / naive.messages).toFixed(2)),
    speedupVsNaive: Number((naive.wallMs / ours.wallMs).toFixed(2)),
    ratioToFloor: Number((ours.wallMs / floor.wallMs).toFixed(2)),
    ratioToPhasedFloor: Number((ours.wallMs / phased.wallMs).toFixed(2)),
  }),
);

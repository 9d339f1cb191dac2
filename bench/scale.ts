/**
 * Scale benchmark (issue 14): one reconciler process against N simulated switches on a real XMPP server,
 * measured as users run it — the built CLI (`bin/reconciler.mjs`) in its own process for each of plan,
 * drift and apply — with the simulated fleet in several processes (bench/sim-worker.ts, 500 switches
 * each) and the server (Prosody or ejabberd) in its own.
 *
 *   npm run bench:scale -- [--switches 200] [--groups 10] [--server prosody|ejabberd] [--group-replies sender|room]
 *     [--preset-rosters] [--cpu-prof DIR] [--verify session-diff|running-config] [--unmanaged-lines N] [--repeat N]
 *
 * The fabric is bench/generate-fabric.ts's: every switch needs 20 changed lines, 16 of them common to its
 * group. Per size it reports, for each command: wall time (process start to exit), the reconciler's peak
 * RSS and the bytes it sent; XMPP messages; and the phased floor — the same messages as bare request/replies
 * (`show hostname`) in the rollout's dependency order, sent by a process of its own over the same
 * transport (bench/phased-floor.ts). Prints one JSON line. BENCH_KEEP=1 keeps the lab's folder (its
 * state dir holds the journal: when each switch reached each step).
 */
import { type ChildProcess, fork, spawn } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import { build } from "esbuild";
import { simpleGit } from "simple-git";
import { commonOptions, precompiledValidatorsPlugin } from "../bin/build-options.mjs";
import { type SimSwitchSpec, startXmppServer } from "../reconciler/sim/index.ts";
import { fabricRooms, setUpRooms } from "../reconciler/sim/room-setup.ts";
import { loadFabric, renderIntended } from "../reconciler/src/fabric/index.ts";
import { writeBenchFabric } from "./generate-fabric.ts";

const { values } = parseArgs({
  options: {
    switches: { type: "string", default: "200" },
    groups: { type: "string", default: "10" },
    server: { type: "string", default: "prosody" },
    "group-replies": { type: "string", default: "sender" },
    "per-worker": { type: "string", default: "500" },
    // Start from the rosters a fabric has after its first contact, as the README advises for large fabrics.
    "preset-rosters": { type: "boolean", default: false },
    // Write a V8 CPU profile of each reconciler process into this folder (for finding where time goes).
    "cpu-prof": { type: "string" },
    // rollout.verify of the fabric: session-diff (the default) or running-config (the whole read-back).
    verify: { type: "string" },
    // Unmanaged lines per running config (users, SNMP …), for configs of a real switch's size.
    "unmanaged-lines": { type: "string", default: "0" },
    // Apply and floor N times each, alternating (switches reset before each): the ratio of the medians.
    repeat: { type: "string", default: "1" },
  },
});
const switches = Number(values.switches);
const groupCount = Number(values.groups);
const serverKind = values.server === "ejabberd" ? "ejabberd" : "prosody";
const groupReplies = values["group-replies"] === "room" ? "room" : "sender";
const perWorker = Number(values["per-worker"]);
const presetRosters = values["preset-rosters"] === true;
const cpuProfDir = values["cpu-prof"];
const root = join(import.meta.dirname, "..");
/** The XMPP settings of the lab, as environment (how users point the CLI at a server). */
let labEnv: NodeJS.ProcessEnv = {};
/** Linux reports CPU time in clock ticks of 1/100 s (USER_HZ). */
const TICK_MS = 10;
const load = () => loadavg().map((l) => Number(l.toFixed(1)));

const dir = await mkdtemp(join(tmpdir(), "bench-scale-"));
const repo = join(dir, "fabric");
const stateDir = join(dir, "state");
// The built CLI in its own process, as users run it: a copy of dist/ taken at the start (bin/reconciler.mjs
// does the same as its runner), so a rebuild while the benchmark runs cannot mix two versions.
const cliCopy = join(root, "node_modules/.cache/bench", `dist-${process.pid}`); // packages resolve from here
await cp(join(root, "dist"), cliCopy, { recursive: true });
await writeFile(
  join(cliCopy, "run.mjs"),
  'import { main } from "./cli.js";\nprocess.exitCode = await main(process.argv);\n',
);
const verify =
  values.verify === undefined
    ? undefined
    : values.verify === "running-config"
      ? "running-config"
      : "session-diff";
const unmanagedLines = Number(values["unmanaged-lines"]);
const repeat = Math.max(1, Number(values.repeat));
const generated = await writeBenchFabric(repo, switches, groupCount, { verify, unmanagedLines });
const git = simpleGit(repo);
await git.init(["--initial-branch=main", "--quiet"]);
await git.addConfig("user.email", "bench@fabric.invalid").addConfig("user.name", "Bench");
await git.add(".").commit("bench fabric");
const loaded = await loadFabric(repo);
if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
const fabric = loaded.fabric;

const labStart = performance.now();
const server = await startXmppServer(serverKind, {
  domain: fabric.xmpp.domain,
  mucService: fabric.xmpp.mucService,
  mucPresenceBroadcastModeratorOnly: true,
});
const workers: ChildProcess[] = [];
try {
  const reconcilerPassword = `rec-${Math.random().toString(36).slice(2)}`;
  const specs: SimSwitchSpec[] = Object.values(fabric.devices)
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((d) => ({
      name: d.name,
      password: `${d.name}-pw`,
      runningConfig: generated.outdated(d.name, renderIntended(fabric, d.name).text),
      cliMode: fabric.xmpp.cliMode === "auto" ? undefined : fabric.xmpp.cliMode,
    }));
  await server.registerMany([
    { user: fabric.xmpp.reconcilerJid.split("@")[0]!, password: reconcilerPassword },
    ...specs.map((s) => ({ user: s.name, password: s.password! })),
  ]);
  if (presetRosters)
    await server.presetRosters(
      fabric.xmpp.reconcilerJid.split("@")[0]!,
      specs.map((s) => s.name),
    );
  // Rooms as the README has an operator set them up (the reconciler their owner, each group's switches
  // its members) before any switch joins: with `--group-replies room` the reconciler asks a room for
  // its occupants (transport/occupant-list.ts), which only its owner may.
  await setUpRooms({
    server,
    owner: { user: fabric.xmpp.reconcilerJid.split("@")[0]!, password: reconcilerPassword },
    rooms: fabricRooms(fabric),
  });
  const registeredMs = Math.round(performance.now() - labStart);

  // The simulated fleet: shards of at most `perWorker` switches (and at least two: one per core), each its
  // own process, logging in at the same time (each 32 at once). Switches are dealt round-robin, so a
  // group's switches (a room, a wave) spread over every shard: on one, a wave's switches would answer one
  // after the other, where real switches work in parallel.
  const shards: Promise<unknown>[] = [];
  const shardCount = Math.max(2, Math.ceil(specs.length / perWorker));
  for (let i = 0; i < shardCount; i++) {
    const worker = fork(join(root, "bench/sim-worker.ts"), [], {
      // With --cpu-prof the simulated fleet is profiled too: it shares the machine with the server.
      execArgv: [
        "--import",
        "tsx",
        ...(cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", join(cpuProfDir, "sims")] : []),
      ],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    workers.push(worker);
    const shard = ask(
      worker,
      {
        type: "start",
        server: {
          host: server.host,
          port: server.port,
          domain: fabric.xmpp.domain,
          mucService: fabric.xmpp.mucService,
          caFile: server.caFile,
        },
        switches: specs.filter((_, j) => j % shardCount === i),
        authorizedJids: [fabric.xmpp.reconcilerJid],
        groupReplies,
      },
      "ready",
    );
    shards.push(shard);
  }
  await Promise.all(shards);
  const labMs = Math.round(performance.now() - labStart);

  labEnv = {
    ...process.env,
    RECONCILER_XMPP_HOST: server.host,
    RECONCILER_XMPP_PORT: String(server.port),
    RECONCILER_XMPP_CA: server.caFile,
    RECONCILER_XMPP_PASSWORD: reconcilerPassword,
    NO_COLOR: "1",
  };
  const reset = () => Promise.all(workers.map((w) => ask(w, { type: "reset" }, "reset-done")));

  // First contact: the reconciler's first login gets every switch's subscription request (paced.ts).
  const firstLogin = await reconciler(["plan", repo, "--json"], [0, 2]);
  const plan = await reconciler(["plan", repo, "--json"], [0]);
  const planJson = JSON.parse(plan.stdout) as { summary: { changed: number; unreachable: number } };
  if (planJson.summary.changed !== switches)
    throw new Error(
      `plan: ${planJson.summary.changed} of ${switches} switches to change (${planJson.summary.unreachable} unreachable)`,
    );
  const planFile = join(dir, "plan.json");
  await writeFile(planFile, plan.stdout);
  const drift = await reconciler(["drift", repo, "--json"], [3]);
  const driftJson = JSON.parse(drift.stdout) as { devices: { status: string }[] };
  const drifted = driftJson.devices.filter((d) => d.status === "drifted").length;
  const apply = await reconciler(["apply", repo, "--yes", "--json"], [0]);
  const applyJson = JSON.parse(apply.stdout) as {
    outcome: string;
    messages: number;
    devices: { outcome: string }[];
    startedAt: string;
    finishedAt: string;
  };
  const changed = applyJson.devices.filter((d) => d.outcome === "changed").length;
  // Verified by the switches themselves: a fresh plan of the new running configs has nothing to do.
  const after = await reconciler(["plan", repo, "--json"], [0]);
  const afterJson = JSON.parse(after.stdout) as { summary: { changed: number } };

  await reset();
  // Built like the CLI (the same bundled packages, the same precompiled validators), so both processes
  // start alike (tsx would add seconds of transpiling).
  const floorJs = join(root, "node_modules/.cache/bench/phased-floor.mjs"); // resolves packages from here
  await build({
    ...commonOptions(root),
    entryPoints: [join(root, "bench/phased-floor.ts")],
    outfile: floorJs,
    plugins: [await precompiledValidatorsPlugin(root, dirname(floorJs))],
  });
  const floor = await measured([...profileArgs(), floorJs, repo, planFile], [0]);
  const floorJson = JSON.parse(floor.stdout) as { messages: number; messagesMs: number };
  // One floor run moves a ratio by ±0.15 on this machine: more runs of both, alternating.
  const applyRuns = [apply];
  const floorRuns = [floor];
  for (let i = 1; i < repeat; i++) {
    await reset();
    const again = await reconciler(["apply", repo, "--yes", "--json"], [0]);
    const againJson = JSON.parse(again.stdout) as { outcome: string };
    if (againJson.outcome !== "succeeded") throw new Error(`apply run ${i + 1}: ${againJson.outcome}`);
    applyRuns.push(again);
    await reset();
    floorRuns.push(await measured([...profileArgs(), floorJs, repo, planFile], [0]));
  }
  const applyWalls = applyRuns.map((r) => r.wallMs);
  const floorWalls = floorRuns.map((r) => r.wallMs);
  // Where the machine's two cores went in each run: reconciler (or floor) / simulated fleet / the rest
  // (the XMPP server, and the bench itself).
  const cpuSplit = (r: Measured) => [r.cpuMs, r.fleetCpuMs, r.machineCpuMs - r.cpuMs - r.fleetCpuMs];

  const messages = switches + applyJson.messages; // observation: one `show running-config` per switch
  const result = {
    switches,
    groups: groupCount,
    server: serverKind,
    groupReplies,
    cpus: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    date: new Date().toISOString(),
    simProcesses: workers.length,
    presetRosters,
    verify: verify ?? "session-diff (default)",
    unmanagedLines,
    labMs,
    registeredMs,
    firstLoginPlan: summary(firstLogin),
    plan: summary(plan),
    drift: { ...summary(drift), drifted },
    apply: {
      ...summary(apply),
      outcome: applyJson.outcome,
      changed,
      rolloutMs: Date.parse(applyJson.finishedAt) - Date.parse(applyJson.startedAt),
      messages,
    },
    verifiedChangesLeft: afterJson.summary.changed,
    phasedFloor: { ...summary(floor), messages: floorJson.messages, messagesMs: floorJson.messagesMs },
    ratioToPhasedFloor: Number((median(applyWalls) / median(floorWalls)).toFixed(2)),
    ...(repeat > 1 ? { applyWallsMs: applyWalls, floorWallsMs: floorWalls } : {}),
    cpuMsOwnFleetRest: { apply: applyRuns.map(cpuSplit), floor: floorRuns.map(cpuSplit) },
  };
  console.log(JSON.stringify(result));
} finally {
  await Promise.all(
    workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once("exit", () => resolve());
          w.send({ type: "stop" });
          setTimeout(() => {
            w.kill();
            resolve();
          }, 30_000).unref();
        }),
    ),
  );
  await server.stop();
  if (!process.env.BENCH_KEEP) await rm(dir, { recursive: true, force: true });
  else console.error(`kept ${dir}`);
  await rm(cliCopy, { recursive: true, force: true });
}

interface Measured {
  wallMs: number;
  cpuMs: number;
  maxRssBytes: number;
  bytesSent: number;
  bytesReceived: number;
  stdout: string;
  load: number[];
  /** CPU the whole machine spent while it ran (every process: reconciler, server, simulated fleet). */
  machineCpuMs: number;
  /** CPU the simulated fleet's processes spent while it ran. */
  fleetCpuMs: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function summary(m: Measured) {
  return {
    wallMs: m.wallMs,
    cpuMs: m.cpuMs,
    rssMiB: Math.round(m.maxRssBytes / 2 ** 20),
    bytesSent: m.bytesSent,
    bytesReceived: m.bytesReceived,
    load: m.load,
    machineCpuMs: m.machineCpuMs,
    fleetCpuMs: m.fleetCpuMs,
  };
}

/** CPU time spent so far (ms): the whole machine's from /proc/stat, or one process's from /proc/PID/stat. */
async function machineCpu(): Promise<number> {
  const [cpu] = (await readFile("/proc/stat", "utf8")).split("\n");
  // user nice system idle iowait irq softirq steal: all but idle and iowait are work
  const ticks = cpu!.trim().split(/\s+/).slice(1, 9).map(Number);
  const busy = ticks.reduce((a, b) => a + b, 0) - ticks[3]! - ticks[4]!;
  return busy * TICK_MS;
}
async function processCpu(pid: number | undefined): Promise<number> {
  if (pid === undefined) return 0;
  const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
  // fields after the command name (which may hold spaces): utime and stime are the 12th and 13th
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * TICK_MS;
}
async function fleetCpu(): Promise<number> {
  return (await Promise.all(workers.map((w) => processCpu(w.pid)))).reduce((a, b) => a + b, 0);
}

/** With --cpu-prof, Node's flags to profile a process (the reconciler's and the floor's). */
function profileArgs(): string[] {
  return cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", cpuProfDir] : [];
}

/** The built CLI in its own process, as users run it. */
function reconciler(args: string[], okCodes: number[]): Promise<Measured> {
  return measured([...profileArgs(), join(cliCopy, "run.mjs"), ...args, "--state-dir", stateDir], okCodes);
}

/** A Node process with the measuring preload: wall time, peak RSS, bytes on its sockets. */
async function measured(args: string[], okCodes: number[]): Promise<Measured> {
  const out = join(dir, `measure-${Math.random().toString(36).slice(2)}.json`);
  const [machineBefore, fleetBefore] = [await machineCpu(), await fleetCpu()];
  const started = performance.now();
  const child = spawn(process.execPath, ["--import", join(root, "bench/measure-preload.mjs"), ...args], {
    cwd: root,
    env: { ...labEnv, BENCH_MEASURE_OUT: out },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => {
    stdout += d;
  });
  child.stderr.on("data", (d) => {
    stderr += d;
  });
  const code = await new Promise<number>((resolve) => child.on("exit", (c) => resolve(c ?? -1)));
  const wallMs = Math.round(performance.now() - started);
  const machineCpuMs = (await machineCpu()) - machineBefore;
  const fleetCpuMs = (await fleetCpu()) - fleetBefore;
  if (!okCodes.includes(code))
    throw new Error(
      `${args.slice(0, 3).join(" ")} exited ${code}: ${stderr.slice(0, 2000)}${stdout.slice(0, 2000)}`,
    );
  const m = JSON.parse(await readFile(out, "utf8")) as Omit<
    Measured,
    "wallMs" | "stdout" | "load" | "machineCpuMs" | "fleetCpuMs"
  >;
  return { ...m, wallMs, stdout, load: load(), machineCpuMs, fleetCpuMs };
}

function ask(worker: ChildProcess, message: object, answer: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string; message?: string }) => {
      if (m.type === answer) {
        worker.off("message", onMessage);
        resolve(m);
      } else if (m.type === "error") {
        worker.off("message", onMessage);
        reject(new Error(`simulator: ${m.message}`));
      }
    };
    worker.on("message", onMessage);
    worker.send(message);
  });
}

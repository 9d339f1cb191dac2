/**
 * CPU of per-switch planning (issue 14): `planDevice` over every switch of the bench fabric, in one
 * process, as the observe phase runs it for each `show running-config` reply. Warm-up once, then the
 * median of 5 runs, for the fabric's small configs and with 80 unmanaged lines per running config
 * (about a real switch's size). The figure is the process's CPU time (user + system, GC threads
 * included): on a shared machine it varies less than the wall time, which is shown too.
 *
 *   npm run bench:plan [-- --switches 2000] [--snapshot out.json]
 *
 * `--snapshot` writes every DevicePlan as JSON, to compare the outputs of two versions byte for byte.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadFabric, renderIntended } from "../reconciler/src/fabric/index.ts";
import { planDevice } from "../reconciler/src/plan/build-plan.ts";
import { writeBenchFabric } from "./generate-fabric.ts";

const { values } = parseArgs({
  options: {
    switches: { type: "string", default: "2000" },
    runs: { type: "string", default: "5" },
    snapshot: { type: "string" },
  },
});
const switches = Number(values.switches);
const runs = Number(values.runs);
const now = new Date("2026-12-03T12:00:00Z");
const snapshot: Record<string, unknown> = {};

console.log(
  `planDevice × ${switches} switches, median of ${runs} (Node ${process.version}, ${cpus()[0]?.model})`,
);
for (const unmanagedLines of [0, 80]) {
  const dir = await mkdtemp(join(tmpdir(), "plan-cpu-"));
  try {
    const generated = await writeBenchFabric(dir, switches, 10, { unmanagedLines });
    const loaded = await loadFabric(dir);
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join("\n"));
    const fabric = loaded.fabric;
    const inputs = Object.keys(fabric.devices)
      .sort()
      .map((device) => {
        const intended = renderIntended(fabric, device).text;
        return { device, intended, running: generated.outdated(device, intended) };
      });
    const planAll = () =>
      inputs.map(({ device, intended, running }) =>
        planDevice(fabric, device, intended, { ok: true, text: running }, now),
      );
    const parts = planAll();
    const cpu: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      const startCpu = process.cpuUsage();
      planAll();
      const used = process.cpuUsage(startCpu);
      wall.push(performance.now() - start);
      cpu.push((used.user + used.system) / 1000);
    }
    const bytes = inputs.reduce((sum, i) => sum + i.running.length, 0) / inputs.length;
    console.log(
      `unmanagedLines ${unmanagedLines} (running ${Math.round(bytes)} B): CPU median ${median(cpu)} ms, min ${Math.min(...cpu).toFixed(0)} ms (runs ${cpu.map((t) => t.toFixed(0)).join(", ")}), wall median ${median(wall)} ms; ${parts.filter((p) => p.plan.status === "changes").length} changed`,
    );
    snapshot[`unmanaged-${unmanagedLines}`] = parts.map((part) => part.plan);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
function median(values: number[]): string {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!.toFixed(0);
}

if (values.snapshot) await writeFile(values.snapshot, JSON.stringify(snapshot, null, 1));

/**
 * Validation benchmark: per iteration, loadFabric (read + validate) the example repo and render the
 * intended config of every device, in process. Prints one JSON line.
 *
 *   npm run --silent bench:validate -- [--repo DIR] [--iterations N] [--leaves N]
 *
 * --leaves N adds N synthetic leaves (copies of leaf1 with their own addresses) in memory, to see how
 * validation scales towards the few hundred switches of DESIGN §11; the files are then read once and
 * only validateFabric + render are timed.
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import {
  type Fabric,
  type FabricFiles,
  loadFabric,
  readFabricRepo,
  renderIntended,
  validateFabric,
} from "../reconciler/src/fabric/index.ts";

const { values } = parseArgs({
  options: {
    repo: { type: "string", default: "fabric-repo-example" },
    iterations: { type: "string", default: "200" },
    leaves: { type: "string", default: "0" },
  },
});
const iterations = Math.max(1, Number(values.iterations));
const extraLeaves = Math.max(0, Number(values.leaves));

function renderAll(fabric: Fabric): number {
  let bytes = 0;
  for (const name of Object.keys(fabric.devices)) bytes += renderIntended(fabric, name).text.length;
  return bytes;
}

function withSyntheticLeaves(files: FabricFiles, count: number): FabricFiles {
  const template = files.files["devices/leaf1.yaml"];
  if (!template) throw new Error("the repo has no devices/leaf1.yaml to copy");
  const text = typeof template === "string" ? template : new TextDecoder().decode(template);
  const out = { ...files.files };
  for (let i = 0; i < count; i++) {
    const n = 100 + i;
    const [a, b] = [Math.floor(n / 250), n % 250];
    out[`devices/leaf${n}.yaml`] = text
      .replace(/hostname: leaf1/, `hostname: leaf${n}`)
      .replace(/user: leaf1/, `user: leaf${n}`)
      .replace(/LEAF1_/, `LEAF${n}_`)
      .replace(/loopback0: .*/, `loopback0: 10.254.${a}.${b}`)
      .replace(/asn: .*/, `asn: ${65200 + i}`);
  }
  return { files: out };
}

async function once(files: FabricFiles | undefined): Promise<{ devices: number; bytes: number }> {
  const result = files ? validateFabric(files) : await loadFabric(values.repo);
  if (!result.ok) throw new Error(`invalid repo: ${result.errors.map((e) => e.message).join("; ")}`);
  return { devices: Object.keys(result.fabric.devices).length, bytes: renderAll(result.fabric) };
}

const files =
  extraLeaves > 0 ? withSyntheticLeaves(await readFabricRepo(values.repo), extraLeaves) : undefined;
// Warm up so that the JIT has compiled the hot paths, as in a long-running reconciler.
for (let i = 0; i < Math.min(20, iterations); i++) await once(files);

const times: number[] = [];
let shape = { devices: 0, bytes: 0 };
for (let i = 0; i < iterations; i++) {
  const start = performance.now();
  shape = await once(files);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const round = (ms: number) => Math.round(ms * 1000) / 1000;
const percentile = (p: number) => round(times[Math.min(times.length - 1, Math.floor(p * times.length))]!);
process.stdout.write(
  `${JSON.stringify({
    bench: "validate",
    repo: values.repo,
    timed: files ? "validateFabric+render" : "loadFabric+render",
    devices: shape.devices,
    renderedBytes: shape.bytes,
    iterations,
    meanMs: round(times.reduce((sum, t) => sum + t, 0) / times.length),
    p50Ms: percentile(0.5),
    p95Ms: percentile(0.95),
    node: process.version,
  })}\n`,
);

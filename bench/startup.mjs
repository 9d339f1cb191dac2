#!/usr/bin/env node
// `npm run bench:startup [-- --runs N]`: wall time of `reconciler --help` and
// `reconciler validate fabric-repo-example`, the built CLI (bin/reconciler.mjs → dist/) side by side with
// the TypeScript sources through tsx (bin/reconciler-dev.mjs), each a fresh process, interleaved so a
// busy moment on a shared machine hits both alike. Prints a markdown table for bench/RESULTS.md.
import { spawnSync } from "node:child_process";
import { cpus, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const argRuns = process.argv.indexOf("--runs");
const runs = argRuns > 0 ? Number(process.argv[argRuns + 1]) : 15;
const TARGET_S = 0.35;

const entries = { built: "bin/reconciler.mjs", tsx: "bin/reconciler-dev.mjs" };
const commands = [
  ["--help", ["--help"]],
  ["validate fabric-repo-example", ["validate", "fabric-repo-example"]],
];

function once(entry, args) {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [entry, ...args], {
    cwd: root,
    stdio: ["ignore", "ignore", "pipe"],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (result.status !== 0)
    throw new Error(`${entry} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
  return seconds;
}

const stats = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return {
    median: sorted[Math.floor(sorted.length / 2)],
    min: sorted[0],
    mean: xs.reduce((a, b) => a + b, 0) / xs.length,
  };
};
const s = (x) => `${x.toFixed(3)} s`;

const load = loadavg()
  .map((l) => l.toFixed(2))
  .join(" / ");
// Node itself, for scale: what no CLI can go below.
const bare = [];
for (let i = 0; i < runs; i++) {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, ["-e", "0"]);
  bare.push(Number(process.hrtime.bigint() - started) / 1e9);
}

const rows = [];
for (const [name, args] of commands) {
  once(entries.built, args); // warm the file cache for both
  once(entries.tsx, args);
  const times = { built: [], tsx: [] };
  for (let i = 0; i < runs; i++) {
    times.built.push(once(entries.built, args));
    times.tsx.push(once(entries.tsx, args));
  }
  const built = stats(times.built);
  const tsx = stats(times.tsx);
  rows.push(
    `| \`reconciler ${name}\` | ${s(built.median)} (min ${s(built.min)}) | ${s(tsx.median)} (min ${s(tsx.min)}) | ${(tsx.median / built.median).toFixed(1)}× | ${built.median <= TARGET_S ? "met" : "missed"} (≤ ${TARGET_S} s) |`,
  );
}

process.stdout.write(
  [
    `CLI start-up, median of ${runs} runs each (wall, fresh process), Node ${process.version}, ${cpus().length} cores, load average ${load} at start:`,
    "",
    "| command | built (dist/) | tsx (sources) | speed-up | target |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    `| \`node -e 0\` (Node alone) | ${s(stats(bare).median)} (min ${s(stats(bare).min)}) | | | |`,
    "",
  ].join("\n"),
);

#!/usr/bin/env node
// `npm run bench:startup [-- --runs N]`: wall time of `reconciler --help` and
// `reconciler validate fabric-repo-example`, the built CLI (bin/reconciler.mjs → dist/) side by side with
// the TypeScript sources through tsx (bin/reconciler-dev.mjs), each a fresh process. Prints a markdown
// table for bench/RESULTS.md.
//
// With hyperfine installed (Debian: `apt-get install hyperfine`) it does the timing (warm-up runs,
// no shell in between: `--shell=none`); otherwise each command runs here with spawnSync, built and tsx
// interleaved so a busy moment on a shared machine hits both alike. The median is reported either way.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
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

const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");
const loadAtStart = load();

const stats = (xs) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], min: sorted[0], cpu: xs.cpu };
};
const cpuOf = (x) => (x.cpu === undefined ? "" : `, CPU ${s(x.cpu)}`);
const s = (x) => `${x.toFixed(3)} s`;

const hasHyperfine = spawnSync("hyperfine", ["--version"], { stdio: "ignore" }).status === 0;

/** Wall times in seconds of each command line (argv arrays), via hyperfine. */
function timeWithHyperfine(argvs) {
  const dir = mkdtempSync(join(tmpdir(), "bench-startup-"));
  const out = join(dir, "times.json");
  try {
    const result = spawnSync(
      "hyperfine",
      [
        "--shell=none",
        "--warmup",
        "2",
        "--runs",
        String(runs),
        "--style",
        "none",
        "--export-json",
        out,
        ...argvs.map((argv) => argv.join(" ")),
      ],
      { cwd: root, stdio: ["ignore", "ignore", "pipe"] },
    );
    if (result.status !== 0) throw new Error(`hyperfine exited ${result.status}: ${result.stderr}`);
    // CPU time (user + system) as well: on a loaded machine wall time measures the queue for a core.
    return JSON.parse(readFileSync(out, "utf8")).results.map((r) =>
      Object.assign(r.times, { cpu: r.user + r.system }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same without hyperfine: fresh processes, interleaved. */
function timeWithSpawn(argvs) {
  const once = ([bin, ...args]) => {
    const started = process.hrtime.bigint();
    const result = spawnSync(bin, args, { cwd: root, stdio: ["ignore", "ignore", "pipe"] });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (result.status !== 0) throw new Error(`${args.join(" ")} exited ${result.status}: ${result.stderr}`);
    return seconds;
  };
  for (const argv of argvs) once(argv); // warm the file cache
  const times = argvs.map(() => []);
  for (let i = 0; i < runs; i++) for (const [k, argv] of argvs.entries()) times[k].push(once(argv));
  return times;
}

const node = process.execPath;
const timer = hasHyperfine ? timeWithHyperfine : timeWithSpawn;
const rows = [];
for (const [name, args] of commands) {
  const [built, tsx] = timer([
    [node, entries.built, ...args],
    [node, entries.tsx, ...args],
  ]).map(stats);
  rows.push(
    `| \`reconciler ${name}\` | ${s(built.median)} (min ${s(built.min)}${cpuOf(built)}) | ${s(tsx.median)} (min ${s(tsx.min)}${cpuOf(tsx)}) | ${(tsx.median / built.median).toFixed(1)}× | ${built.median <= TARGET_S ? "met" : "missed"} (≤ ${TARGET_S} s) |`,
  );
}
// Node itself, for scale: what no CLI can go below.
const [bare] = timer([[node, "-e", "0"]]).map(stats);

process.stdout.write(
  [
    `CLI start-up, median of ${runs} runs each (wall, fresh process, timed by ${hasHyperfine ? "hyperfine --shell=none" : "spawnSync"}), Node ${process.version}, ${cpus().length} cores, load average ${loadAtStart} at start, ${load()} at the end:`,
    "",
    "| command | built (dist/) | tsx (sources) | tsx / built | target (built) |",
    "| --- | --- | --- | --- | --- |",
    ...rows,
    `| \`node -e 0\` (Node alone) | ${s(bare.median)} (min ${s(bare.min)}${cpuOf(bare)}) | | | |`,
    "",
  ].join("\n"),
);

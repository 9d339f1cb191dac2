/**
 * The journal after weeks of scheduled drift checks (issue 14): a 15-minute check of N switches writes
 * its record every time, and every run reads the journal (interrupted applies, drift since when). This
 * writes `--days` of such checks through the journal as the service does, then times the built CLI's
 * `history` (a run's read of the journal) in its own process: once on the segmented journal, once on
 * the same records in the one file a journal was before segments.
 *
 *   npm run bench:journal -- [--switches 2000] [--days 30]
 */
import { spawnSync } from "node:child_process";
import { appendFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stateFor } from "../reconciler/src/cli/compose-runner.ts";
import type { CliContext } from "../reconciler/src/cli/context.ts";
import { fileJournal, type JournalRecord } from "../reconciler/src/journal/index.ts";

const { values } = parseArgs({
  options: {
    switches: { type: "string", default: "2000" },
    days: { type: "string", default: "30" },
  },
});
const switches = Number(values.switches);
const checks = Number(values.days) * 96;
const root = join(import.meta.dirname, "..");
const dir = await mkdtemp(join(tmpdir(), "bench-journal-"));
const repo = join(dir, "fabric");
await mkdir(repo);

/** Where the CLI keeps the journal of `repo` under `stateDir`. */
async function journalDirOf(stateDir: string): Promise<string> {
  const { dir: journalDir } = stateFor(repo, { stateDir }, {
    cwd: process.cwd(),
    env: process.env,
  } as CliContext);
  await mkdir(journalDir, { recursive: true });
  return journalDir;
}

const devices = Array.from({ length: switches }, (_, i) => `sw${String(i + 1).padStart(4, "0")}`);
function* drift(): Generator<JournalRecord> {
  const start = Date.UTC(2026, 10, 1);
  for (let i = 0; i < checks; i++) {
    const at = new Date(start + i * 15 * 60_000).toISOString();
    const run = {
      runId: `drift-${i}`,
      kind: "drift" as const,
      fabric: "bench",
      trigger: "schedule" as const,
      pid: 1,
    };
    yield { ...run, event: "started", at };
    yield {
      ...run,
      event: "finished",
      at,
      outcome: "in-sync",
      devices: devices.map((device) => ({
        device,
        outcome: i % 7 === 0 && device === "sw0001" ? "drifted" : "in-sync",
      })),
    };
  }
}

try {
  const segmentedState = join(dir, "segmented");
  const oneFileState = join(dir, "one-file");
  const segmented = fileJournal(join(await journalDirOf(segmentedState), "journal.jsonl"));
  const written = performance.now();
  for (const record of drift()) await segmented.append(record);
  const writeMs = Math.round(performance.now() - written);
  const oneFile = join(await journalDirOf(oneFileState), "journal.jsonl");
  for (const record of drift()) await appendFile(oneFile, `${JSON.stringify(record)}\n`);

  const measure = (stateDir: string) => {
    const out = join(dir, `measure-${Math.random().toString(36).slice(2)}.json`);
    const started = performance.now();
    const result = spawnSync(
      process.execPath,
      [
        "--import",
        join(root, "bench/measure-preload.mjs"),
        join(root, "bin/reconciler.mjs"),
        "history",
        repo,
        "--state-dir",
        stateDir,
        "--json",
        "--limit",
        "5",
      ],
      { env: { ...process.env, BENCH_MEASURE_OUT: out }, encoding: "utf8" },
    );
    const wallMs = Math.round(performance.now() - started);
    if (result.status !== 0) throw new Error(`history exited ${result.status}: ${result.stderr}`);
    return readFile(out, "utf8").then((m) => ({
      wallMs,
      rssMiB: Math.round(JSON.parse(m).maxRssBytes / 2 ** 20),
    }));
  };
  const size = async (stateDir: string) => {
    const journalDir = await journalDirOf(stateDir);
    const files = (await readdir(journalDir)).filter((f) => f.endsWith(".jsonl"));
    const sizes = await Promise.all(files.map(async (f) => (await stat(join(journalDir, f))).size));
    return { files: files.length, totalMiB: Number((sizes.reduce((a, b) => a + b, 0) / 2 ** 20).toFixed(1)) };
  };
  const result = {
    switches,
    days: Number(values.days),
    checks,
    node: process.version,
    date: new Date().toISOString(),
    writeMs,
    segmented: {
      ...(await size(segmentedState)),
      history: [await measure(segmentedState), await measure(segmentedState)],
    },
    oneFile: {
      ...(await size(oneFileState)),
      history: [await measure(oneFileState), await measure(oneFileState)],
    },
  };
  console.log(JSON.stringify(result));
} finally {
  await rm(dir, { recursive: true, force: true });
}

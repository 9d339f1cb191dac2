/**
 * The engine next to hier_config (netdevops/hier_config, the field's reference remediation library)
 * on the same inputs. Needs python3 with pydantic 2 and a checkout of hier_config (PyPI is not
 * reachable here: `fetch github:netdevops/hier_config`, then `git archive` it into a directory).
 *
 *   npx tsx bench/hier-config.ts --hier-config DIR [--iterations N]
 *
 * 1. Corpus: every pair of test/corpus/real-world, remediated by both; each script is typed into the
 *    simulator (test/corpus/real-world/judge.ts). On pairs both get right: command lines of each (with
 *    and without `exit`), and the pairs where the engine sends more lines.
 * 2. Speed: generated leaf pairs of 2k–6k lines (bench/generate-eos-config.ts), mean time per
 *    remediation of each, in its own process, after warm-up.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { applyOnSimulator, configText, judgePair, loadPairs } from "../test/corpus/real-world/judge.ts";
import { generateLeafPair } from "./generate-eos-config.ts";

const { values } = parseArgs({
  options: { "hier-config": { type: "string" }, iterations: { type: "string", default: "20" } },
});
const hierConfig = values["hier-config"];
if (!hierConfig) {
  process.stderr.write("usage: tsx bench/hier-config.ts --hier-config DIR [--iterations N]\n");
  process.exit(1);
}
const here = dirname(fileURLToPath(import.meta.url));
const corpus = join(here, "..", "test", "corpus", "real-world");
const runner = join(here, "hier-config", "remediate.py");
const withoutExit = (lines: string[]) => lines.filter((line) => line.trim() !== "exit").length;

// ---- 1. corpus ------------------------------------------------------------------------------------
const hcOut = execFileSync(
  "python3",
  [runner, hierConfig, "corpus", join(corpus, "pairs.json"), join(corpus, "configs")],
  { encoding: "utf8", maxBuffer: 1 << 28 },
);
const hcById = new Map<string, { commands?: string[]; error?: string }>();
for (const line of hcOut.trim().split("\n")) {
  const entry = JSON.parse(line) as { id: string; commands?: string[]; error?: string };
  hcById.set(entry.id, entry);
}
let bothRight = 0;
let engineOnly = 0;
let hcOnly = 0;
let engineLines = 0;
let hcLines = 0;
let engineAll = 0;
let hcAll = 0;
const longer: string[] = [];
const hcWrong: string[] = [];
for (const pair of loadPairs()) {
  const running = configText(pair.running);
  const intended = configText(pair.intended);
  const engine = judgePair(running, intended);
  const hc = hcById.get(pair.id);
  const hcVerdict = hc?.commands ? applyOnSimulator(running, intended, hc.commands) : undefined;
  const hcRight = hcVerdict?.kind === "right";
  if (!hcRight) hcWrong.push(`${pair.id}: ${hc?.error ?? (hcVerdict as { reason?: string })?.reason}`);
  if (engine.kind === "right" && hcRight) {
    bothRight++;
    const e = withoutExit(engine.commands);
    const h = withoutExit(hc!.commands!);
    engineLines += e;
    hcLines += h;
    engineAll += engine.commands.length;
    hcAll += hc!.commands!.length;
    if (e > h) longer.push(`${pair.id}: engine ${e}, hier_config ${h}`);
  } else if (engine.kind === "right") engineOnly++;
  else if (hcRight) hcOnly++;
}
const pct = (a: number, b: number) => `${(((b - a) / b) * 100).toFixed(1)} %`;
process.stdout.write(
  [
    `corpus: ${hcById.size} pairs; both right ${bothRight}, only the engine right ${engineOnly}, only hier_config right ${hcOnly}`,
    `  on pairs both get right: engine ${engineLines} command lines, hier_config ${hcLines} (engine ${pct(engineLines, hcLines)} shorter); with exit lines: ${engineAll} vs ${hcAll}`,
    `  pairs where the engine sends more lines than hier_config: ${longer.length}${longer.length ? `\n    ${longer.join("\n    ")}` : ""}`,
    `  hier_config not right on ${hcWrong.length} pairs, e.g.\n    ${hcWrong.slice(0, 5).join("\n    ")}`,
    "",
  ].join("\n"),
);

// ---- 2. speed -----------------------------------------------------------------------------------
// Engine and hier_config alternate, 3 rounds each, best of each: a shared machine slows whichever runs
// in a busy moment. The ratio is of CPU time per remediation (each process's own).
const dir = mkdtempSync(join(tmpdir(), "hier-config-bench-"));
try {
  process.stdout.write(
    "| interfaces | running lines | engine ms (CPU) | hier_config ms (CPU) | ratio (CPU) | ratio (wall) | engine lines | hier_config lines |\n|---|---|---|---|---|---|---|---|\n",
  );
  for (const interfaces of [330, 660, 1000]) {
    const pair = generateLeafPair(interfaces, 0.2, 1);
    const running = join(dir, `running-${interfaces}.cfg`);
    const intended = join(dir, `intended-${interfaces}.cfg`);
    writeFileSync(running, pair.running);
    writeFileSync(intended, pair.intended);
    const best = {
      engine: { cpu: Infinity, wall: Infinity, lines: 0 },
      hc: { cpu: Infinity, wall: Infinity, lines: 0 },
    };
    for (let round = 0; round < 3; round++) {
      const engine = JSON.parse(
        execFileSync(
          process.execPath,
          [
            "--import",
            "tsx",
            join(here, "engine.ts"),
            "--running",
            running,
            "--intended",
            intended,
            "--iterations",
            String(Number(values.iterations) * 5),
          ],
          { encoding: "utf8" },
        ),
      ) as { meanMs: number; cpuMs: number; commands: number };
      const hc = JSON.parse(
        execFileSync("python3", [runner, hierConfig, "time", running, intended, values.iterations], {
          encoding: "utf8",
        }),
      ) as { meanMs: number; cpuMs: number; lines: number };
      best.engine = {
        cpu: Math.min(best.engine.cpu, engine.cpuMs),
        wall: Math.min(best.engine.wall, engine.meanMs),
        lines: engine.commands,
      };
      best.hc = {
        cpu: Math.min(best.hc.cpu, hc.cpuMs),
        wall: Math.min(best.hc.wall, hc.meanMs),
        lines: hc.lines,
      };
    }
    const lines = pair.running.split("\n").length - 1;
    process.stdout.write(
      `| ${interfaces} | ${lines} | ${best.engine.cpu.toFixed(2)} | ${best.hc.cpu.toFixed(1)} | ${(best.hc.cpu / best.engine.cpu).toFixed(0)}× | ${(best.hc.wall / best.engine.wall).toFixed(0)}× | ${best.engine.lines} | ${best.hc.lines} |\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/**
 * Runs the EOS engine benchmark on the four generated leaf sizes of bench/RESULTS.md (about 1k, 5.8k,
 * 11k and 22k lines, 20 % of the interfaces changed), each in its own process, and prints a markdown
 * table.
 *
 *   tsx bench/engine-sizes.ts [--iterations N] [--runs R]
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateLeafPair } from "./generate-eos-config.ts";

const { values } = parseArgs({
  options: { iterations: { type: "string", default: "100" }, runs: { type: "string", default: "3" } },
});
const here = dirname(fileURLToPath(import.meta.url));
const sizes = [160, 1000, 1900, 3800];
const dir = mkdtempSync(join(tmpdir(), "eos-bench-"));

try {
  process.stdout.write(
    "| interfaces | running lines | intended lines | commands | mean ms (best of runs) | all runs |\n",
  );
  process.stdout.write("|---|---|---|---|---|---|\n");
  for (const interfaces of sizes) {
    const pair = generateLeafPair(interfaces, 0.2, 1);
    const running = join(dir, `running-${interfaces}.cfg`);
    const intended = join(dir, `intended-${interfaces}.cfg`);
    writeFileSync(running, pair.running);
    writeFileSync(intended, pair.intended);
    const means: number[] = [];
    let commands = 0;
    for (let run = 0; run < Number(values.runs); run++) {
      const out = execFileSync(
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
          values.iterations,
        ],
        { encoding: "utf8" },
      );
      const result = JSON.parse(out) as { meanMs: number; commands: number };
      means.push(result.meanMs);
      commands = result.commands;
    }
    const lines = (text: string) => text.split("\n").length - 1;
    process.stdout.write(
      `| ${interfaces} | ${lines(pair.running)} | ${lines(pair.intended)} | ${commands} | ${Math.min(...means).toFixed(2)} | ${means.map((m) => m.toFixed(2)).join(", ")} |\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

#!/usr/bin/env node
// `npm run bench`: every benchmark in turn, each in its own process (no shared JIT or heap state).
// Figures and the machine they ran on are recorded in bench/RESULTS.md.
import { spawnSync } from "node:child_process";

const runs = [
  ["CLI start-up", ["node", "bench/startup.mjs"]],
  ["validation", ["tsx", "bench/validate.ts"]],
  [
    "EOS engine (1k / 5.8k / 11k / 22k lines)",
    ["tsx", "bench/engine-sizes.ts", "--iterations", "100", "--runs", "1"],
  ],
  ["transport (200 simulated switches)", ["tsx", "bench/transport.ts"]],
  ["journal: a month of 15-minute drift checks of 2,000 switches", ["tsx", "bench/journal.ts"]],
  [
    "end to end, switches answer room commands in the room",
    ["tsx", "bench/e2e.ts", "--group-replies", "room"],
  ],
  ["end to end, switches answer room commands by chat", ["tsx", "bench/e2e.ts", "--group-replies", "sender"]],
  // 1,000 and 2,000: `npm run bench:scale -- --switches 2000` (minutes; see bench/RESULTS.md)
  [
    "scale: 200 switches, the CLI in its own process (plan, drift, apply, phased floor)",
    ["tsx", "bench/scale.ts", "--switches", "200"],
  ],
];

let failed = 0;
for (const [name, [bin, ...args]] of runs) {
  process.stdout.write(`\n## ${name}\n`);
  const result =
    bin === "node"
      ? spawnSync(process.execPath, args, { stdio: "inherit" })
      : spawnSync("npx", ["--no-install", bin, ...args], { stdio: "inherit" });
  if (result.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;

/**
 * EOS engine benchmark: per iteration, parse both configs, remediate, and run the prediction check
 * (remediate does it on every call). Prints one JSON line: {"iterations","meanMs","cpuMs","commands"}
 * (`cpuMs`: this process's CPU time per iteration, less sensitive than wall time to a shared machine).
 *
 *   npm run --silent bench:engine -- --running FILE --intended FILE --iterations N [--scope SECTION…]
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { parseConfig, remediate, scopeOfAll } from "../reconciler/src/eos/index.ts";
import type { ManagedScope } from "../reconciler/src/fabric/types.ts";

const { values } = parseArgs({
  options: {
    running: { type: "string" },
    intended: { type: "string" },
    iterations: { type: "string", default: "50" },
    scope: { type: "string", multiple: true },
  },
});
if (!values.running || !values.intended) {
  process.stderr.write(
    "usage: bench:engine -- --running FILE --intended FILE [--iterations N] [--scope SECTION…]\n",
  );
  process.exit(1);
}
const runningText = readFileSync(values.running, "utf8");
const intendedText = readFileSync(values.intended, "utf8");
const iterations = Math.max(1, Number(values.iterations));

function once(scope: ManagedScope | undefined): number {
  const running = parseConfig(runningText);
  const intended = parseConfig(intendedText);
  return remediate(running, intended, scope ?? scopeOfAll(running, intended)).commands.length;
}

const scope = values.scope?.length ? { sections: values.scope, ignore: [] } : undefined;
// Warm up so that the JIT has compiled the hot paths before timing, as in a long-running reconciler.
const warmup = Math.min(20, iterations);
for (let i = 0; i < warmup; i++) once(scope);

let commands = 0;
const start = performance.now();
const cpuStart = process.cpuUsage();
for (let i = 0; i < iterations; i++) commands = once(scope);
const cpu = process.cpuUsage(cpuStart);
const meanMs = (performance.now() - start) / iterations;
const cpuMs = (cpu.user + cpu.system) / 1000 / iterations;

process.stdout.write(
  `${JSON.stringify({ iterations, meanMs: Number(meanMs.toFixed(3)), cpuMs: Number(cpuMs.toFixed(3)), commands })}\n`,
);

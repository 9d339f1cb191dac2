#!/usr/bin/env node
// Builds the CLI (and the CI gate's entry) to JavaScript in dist/, so a command starts without
// transpiling TypeScript first. `npm ci` runs it (the `prepare` script), `npm test` runs it first
// (`pretest`), and `npm run build` runs it by hand. Types are checked by `tsc --noEmit` (npm run lint);
// this step only strips them.
//
// One ESM bundle per entry with code splitting: a command's `await import(...)` becomes its own chunk,
// so `validate` loads the fabric and engine code and not the XMPP client, octokit or the server.
// npm packages stay external (node_modules is there at run time), but for those every command of their
// kind loads (build-options.mjs).
//
// `--if-stale` builds only when a source is newer than the build (the test suite's set-up uses it, so
// a focused `npx vitest run` never spawns an old CLI).
import { existsSync, readdirSync, statSync } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { commonOptions, precompiledValidatorsPlugin } from "./build-options.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist");

if (process.argv.includes("--if-stale") && !stale()) process.exit(0);

// Built beside dist/ and swapped in, so a CLI started during the build never sees half a dist/.
const building = `${outdir}.building`;
await rm(building, { recursive: true, force: true });
await build({
  ...commonOptions(root),
  entryPoints: {
    cli: "reconciler/src/cli/main.ts",
    gate: "reconciler/src/cli/gate-main.ts",
  },
  outdir: building,
  entryNames: "[name]",
  chunkNames: "chunks/[name]-[hash]",
  splitting: true,
  sourcemap: "linked",
  legalComments: "none",
  plugins: [await precompiledValidatorsPlugin(root, building)],
});

await rm(`${outdir}.old`, { recursive: true, force: true });
if (existsSync(outdir)) await rename(outdir, `${outdir}.old`);
await rename(building, outdir);
await rm(`${outdir}.old`, { recursive: true, force: true });

/** True when dist/ is missing or older than any file it is built from. */
function stale() {
  const built = join(outdir, "cli.js");
  if (!existsSync(built)) return true;
  const builtAt = statSync(built).mtimeMs;
  const inputs = [
    "reconciler",
    "schemas",
    "package.json",
    "package-lock.json",
    "bin/build.mjs",
    "bin/build-options.mjs",
  ];
  const newer = (path) => {
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs > builtAt;
    return readdirSync(path).some((name) => newer(join(path, name)));
  };
  return inputs.some((input) => newer(join(root, input)));
}

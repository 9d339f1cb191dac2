#!/usr/bin/env node
// Builds the CLI (and the CI gate's entry) to JavaScript in dist/, so a command starts without
// transpiling TypeScript first. `npm ci` runs it (the `prepare` script), `npm test` runs it first
// (`pretest`), and `npm run build` runs it by hand. Types are checked by `tsc --noEmit` (npm run lint);
// this step only strips them.
//
// One ESM bundle per entry with code splitting: a command's `await import(...)` becomes its own chunk,
// so `validate` loads the fabric and engine code and not the XMPP client, octokit or the server.
// npm packages stay external (node_modules is there at run time), but for the few every command loads.
//
// `--if-stale` builds only when a source is newer than the build (the test suite's set-up uses it, so
// a focused `npx vitest run` never spawns an old CLI).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { mkdir, rename, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outdir = join(root, "dist");
const common = {
  absWorkingDir: root,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20.10",
  external: external(),
  logLevel: "warning",
};

/**
 * Every dependency stays in node_modules, except the few every command loads at start: bundled, they
 * are one file each instead of dozens of CommonJS modules to resolve (~50 ms of `validate`).
 */
function external() {
  const bundled = new Set(["commander", "yaml", "picocolors"]);
  const { dependencies = {}, devDependencies = {} } = JSON.parse(
    readFileSync(join(root, "package.json"), "utf8"),
  );
  return Object.keys({ ...dependencies, ...devDependencies })
    .filter((name) => !bundled.has(name))
    .flatMap((name) => [name, `${name}/*`]);
}

if (process.argv.includes("--if-stale") && !stale()) process.exit(0);

// Built beside dist/ and swapped in, so a CLI started during the build never sees half a dist/.
const building = `${outdir}.building`;
await rm(building, { recursive: true, force: true });
const validators = await precompiledValidators();
await build({
  ...common,
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
  // The bundled CommonJS packages require() Node's built-ins; an ES module has no require of its own.
  banner: {
    js: 'import { createRequire as createRequireOfChunk } from "node:module"; const require = createRequireOfChunk(import.meta.url);',
  },
  plugins: [
    {
      // The schema validators, compiled here once instead of by Ajv at every start (~0.5 s of `validate`).
      name: "precompiled-schema-validators",
      setup(b) {
        b.onLoad({ filter: /[\\/]fabric[\\/]schema-validators\.ts$/ }, () => ({
          contents: validators,
          loader: "js",
          resolveDir: root,
        }));
      },
    },
  ],
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
  const inputs = ["reconciler", "schemas", "package.json", "package-lock.json", "bin/build.mjs"];
  const newer = (path) => {
    const stat = statSync(path);
    if (!stat.isDirectory()) return stat.mtimeMs > builtAt;
    return readdirSync(path).some((name) => newer(join(path, name)));
  };
  return inputs.some((input) => newer(join(root, input)));
}

/** Ajv's standalone code for the fabric schemas (reconciler/src/fabric/schema-standalone.ts). */
async function precompiledValidators() {
  const generator = await build({
    ...common,
    entryPoints: ["reconciler/src/fabric/schema-standalone.ts"],
    write: false,
  });
  const file = join(building, "schema-standalone.mjs");
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, generator.outputFiles[0].text);
  const { precompiledValidatorsModule } = await import(pathToFileURL(file).href);
  await rm(file);
  // The standalone code loads Ajv's small runtime helpers with require() (the chunk's, see banner).
  return precompiledValidatorsModule().replace(/^"use strict";/, "");
}

// How the CLI is built (bin/build.mjs), in one place: bench/scale.ts builds its phased floor with the
// same options, so both processes start alike.
import { readFileSync } from "node:fs";
import { mkdir, rm, writeFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";

/**
 * Every dependency stays in node_modules except those bundled: the few every command loads at start
 * (commander, yaml, picocolors), and those every connecting command loads (the XMPP client, git, the
 * diff, the limiter). Bundled, each is part of a chunk instead of dozens of modules to resolve and read:
 * ~50 ms of `validate`, ~0.2 s of a `plan` that connects (bench/RESULTS.md). The heavy ones only some
 * commands need (octokit, pino, playwright, the server's) stay out, and a command loads a chunk only
 * when it runs it (test/integration/cli-startup.test.ts).
 */
const BUNDLED = new Set([
  "commander",
  "yaml",
  "picocolors",
  "@xmpp/client",
  "@xmpp/xml",
  "simple-git",
  "diff",
  "p-limit",
]);

/** esbuild options shared by every build of the package at `root`. */
export function commonOptions(root) {
  const { dependencies = {}, devDependencies = {} } = JSON.parse(
    readFileSync(join(root, "package.json"), "utf8"),
  );
  return {
    absWorkingDir: root,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node20.10",
    external: Object.keys({ ...dependencies, ...devDependencies })
      .filter((name) => !BUNDLED.has(name))
      .flatMap((name) => [name, `${name}/*`]),
    logLevel: "warning",
    // The bundled CommonJS packages require() Node's built-ins; an ES module has no require of its own.
    banner: {
      js: 'import { createRequire as createRequireOfChunk } from "node:module"; const require = createRequireOfChunk(import.meta.url);',
    },
  };
}

/**
 * The plugin that puts Ajv's standalone code for the fabric schemas in place of
 * reconciler/src/fabric/schema-validators.ts: compiled once at build time instead of by Ajv at every
 * start (~0.5 s of `validate`). `scratch`: a folder for the generator while it runs.
 */
export async function precompiledValidatorsPlugin(root, scratch) {
  const generator = await build({
    ...commonOptions(root),
    entryPoints: ["reconciler/src/fabric/schema-standalone.ts"],
    write: false,
  });
  const file = join(scratch, `schema-standalone-${process.pid}.mjs`);
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, generator.outputFiles[0].text);
  const { precompiledValidatorsModule } = await import(pathToFileURL(file).href);
  await rm(file);
  // The standalone code loads Ajv's small runtime helpers with require() (the chunk's, see banner).
  const validators = precompiledValidatorsModule().replace(/^"use strict";/, "");
  return {
    name: "precompiled-schema-validators",
    setup(b) {
      b.onLoad({ filter: /[\\/]fabric[\\/]schema-validators\.ts$/ }, () => ({
        contents: validators,
        loader: "js",
        resolveDir: root,
      }));
    },
  };
}

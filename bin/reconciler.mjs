#!/usr/bin/env node
// Runs the built CLI (dist/, made by `npm ci` or `npm run build`). For the TypeScript sources
// directly, without a build, use `npm run reconciler:dev -- ARGS` (tsx).
import { existsSync } from "node:fs";

const cli = new URL("../dist/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write(
    "reconciler: the CLI is not built (no dist/cli.js); run `npm run build` (npm ci does it too)\n",
  );
  process.exit(1);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv);

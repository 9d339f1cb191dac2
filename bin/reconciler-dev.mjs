#!/usr/bin/env node
// The CLI straight from the TypeScript sources through tsx, for development without a build step:
// `npm run reconciler:dev -- ARGS`. Users and tests run bin/reconciler.mjs (the build in dist/).
import { register } from "tsx/esm/api";

register();
const { main } = await import("../reconciler/src/cli/main.ts");
process.exitCode = await main(process.argv);

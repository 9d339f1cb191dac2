#!/usr/bin/env node
// Entry point of the CI gate (action.yml): runs the TypeScript sources with tsx, like bin/reconciler.mjs.
import { register } from "tsx/esm/api";

register();
const { actionsIo, gateInputsFromEnv, runGate } = await import("../../../reconciler/src/github/action-gate.ts");
const { redactSecrets } = await import("../../../reconciler/src/eos/index.ts");
process.exitCode = await runGate(gateInputsFromEnv(process.env), actionsIo(process.env, redactSecrets));

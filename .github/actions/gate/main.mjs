#!/usr/bin/env node
// Entry point of the CI gate (action.yml): the built gate (dist/gate.js, made by the action's `npm ci`).
const { gateMain } = await import("../../../dist/gate.js");
process.exitCode = await gateMain(process.env);

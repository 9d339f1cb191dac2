import type { RegisterCommand } from "../context.ts";
import { registerApply } from "./apply.ts";
import { registerDemo } from "./demo.ts";
import { registerDiff } from "./diff.ts";
import { registerDoctor } from "./doctor.ts";
import { registerDrift } from "./drift.ts";
import { registerExec } from "./exec.ts";
import { registerHistory } from "./history.ts";
import { registerPlan } from "./plan.ts";
import { registerRecord } from "./record.ts";
import { registerRender } from "./render.ts";
import { registerServe } from "./serve.ts";
import { registerSim } from "./sim.ts";
import { registerStatus } from "./status.ts";
import { registerValidate } from "./validate.ts";

/**
 * Every CLI command, in the order `--help` lists them. Add new commands here. A command file imports
 * statically only commander, node built-ins and the small cli/ modules (options, exit codes, errors);
 * its action loads the rest with `await import(...)`, so no command pays for another's start-up.
 */
export const commands: RegisterCommand[] = [
  registerValidate,
  registerRender,
  registerPlan,
  registerApply,
  registerDrift,
  registerHistory,
  registerRecord,
  registerDiff,
  registerDemo,
  registerServe,
  registerStatus,
  registerSim,
  registerExec,
  registerDoctor,
];

import { join } from "node:path";
import { redactSecrets } from "../eos/index.ts";
import { actionsIo, gateInputsFromEnv, runGate } from "../github/action-gate.ts";
import { packageRoot } from "./package-root.ts";

/**
 * The CI gate's composition root: action.yml runs it through .github/actions/gate/main.mjs, with the
 * inputs in GATE_* env and the runner's files in GITHUB_*. It drives this install's own CLI.
 */
export async function gateMain(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const cli = join(packageRoot(), "bin", "reconciler.mjs");
  return runGate(gateInputsFromEnv(env), actionsIo(env, redactSecrets, cli));
}

import { join } from "node:path";
import { actionsIo, gateInputsFromEnv, runGate } from "../github/action-gate.ts";
import { createRedactor, secretsOfEnvironment } from "../redaction/index.ts";
import { packageRoot } from "./package-root.ts";

/**
 * The CI gate's composition root: action.yml runs it through .github/actions/gate/main.mjs, with the
 * inputs in GATE_* env and the runner's files in GITHUB_*. It drives this install's own CLI.
 */
export async function gateMain(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const cli = join(packageRoot(), "bin", "reconciler.mjs");
  // The job summary, outputs and log pass the process's one redaction step: EOS secret patterns and
  // the values of every secret in the runner's environment (GITHUB_TOKEN, the XMPP password …).
  const redactor = createRedactor(secretsOfEnvironment(env));
  return runGate(gateInputsFromEnv(env), actionsIo(env, redactor, cli));
}

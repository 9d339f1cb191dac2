import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { appendFile } from "node:fs/promises";
import type { FabricError } from "../fabric/types.ts";
import type { Plan } from "../plan/types.ts";
import type { RunRefusal } from "../reconcile/types.ts";
import { renderStepSummary } from "../report/step-summary.ts";

/**
 * The CI gate (action.yml): `validate --format github` for inline annotations on the PR diff, then
 * `plan --json` (offline against recorded running configs, or live), the plan in the job summary,
 * the outputs `has-changes` and `plan-json`, and a failing exit code on invalid input, policy
 * violations, unreachable switches or — when asked — any change. It drives the same CLI as
 * everywhere else, so CI, the service and a laptop agree.
 */

export interface GateInputs {
  /** The desired-state repo, relative to the workspace. */
  fabricDir: string;
  /** A directory of `<device>.cfg` running configs; empty: plan live (XMPP credentials in env). */
  runningConfigs?: string;
  failOnChanges: boolean;
  allowUnreachable: boolean;
  /** Prefix of annotation paths when the fabric is a subfolder of the repo. */
  pathPrefix?: string;
  /** Link to this workflow run, for the summary. */
  runUrl?: string;
}

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface GateIo {
  runCli(args: string[]): Promise<CliRun>;
  /** Workflow commands (annotations) and log lines go to the runner's stdout. */
  log(text: string): void;
  appendSummary(markdown: string): Promise<void>;
  setOutput(name: string, value: string): Promise<void>;
  redact: (text: string) => string;
  /** For prose (error messages): the process's secret values, not the EOS config patterns. */
  redactValues?: (text: string) => string;
}

/** Runs the gate; returns the step's exit code (0 pass, 1 fail). */
export async function runGate(inputs: GateInputs, io: GateIo): Promise<number> {
  const dir = inputs.fabricDir || ".";
  const prefix = inputs.pathPrefix ?? (dir === "." ? undefined : dir);
  // Outputs are written once, on every path, so a later step can always read them.
  const finish = async (code: number, summary: { errors?: FabricError[]; plan?: Plan; failure?: string }) => {
    if (summary.failure) io.log(`::error title=reconciler gate::${escapeData(summary.failure)}\n`);
    await io.appendSummary(
      renderStepSummary(summary, {
        redact: io.redact,
        redactValues: io.redactValues,
        reportUrl: inputs.runUrl,
      }),
    );
    await io.setOutput("has-changes", String((summary.plan?.summary.changed ?? 0) > 0));
    await io.setOutput("plan-json", summary.plan ? JSON.stringify(summary.plan) : "");
    return code;
  };
  const fail = (failure: string, extra: { errors?: FabricError[]; plan?: Plan } = {}) =>
    finish(1, { ...extra, failure });

  io.log("::group::reconciler validate\n");
  const validate = await io.runCli([
    "validate",
    dir,
    "--format",
    "github",
    ...(prefix ? ["--path-prefix", prefix] : []),
  ]);
  io.log(validate.stdout);
  io.log(validate.stderr);
  io.log("::endgroup::\n");
  if (validate.code !== 0) {
    const json = await io.runCli(["validate", dir, "--json", ...(prefix ? ["--path-prefix", prefix] : [])]);
    return fail("the desired state is invalid", { errors: parseValidationErrors(json.stdout) });
  }

  io.log("::group::reconciler plan\n");
  const args = ["plan", dir, "--json", "--detailed-exitcode"];
  if (inputs.runningConfigs) args.push("--offline", inputs.runningConfigs);
  if (inputs.allowUnreachable) args.push("--allow-unreachable");
  const planned = await io.runCli(args);
  io.log(planned.stderr);
  io.log("::endgroup::\n");
  const parsed = parseJson(planned.stdout) as Plan | RunRefusal | undefined;
  if (!parsed || !("kind" in parsed)) {
    const refusal = parsed as RunRefusal | undefined;
    const why = refusal?.message ?? (planned.stderr.trim() || `reconciler plan exited with ${planned.code}`);
    return fail(`plan failed: ${why}`, { errors: refusal?.errors });
  }
  const plan = parsed;
  const hasChanges = plan.summary.changed > 0;
  if (plan.summary.errors > 0)
    return fail(
      `${plan.summary.errors} ${plan.summary.errors === 1 ? "switch" : "switches"} could not be planned (policy or config errors)`,
      { plan },
    );
  if (planned.code === 5 || (plan.summary.unreachable > 0 && !inputs.allowUnreachable)) {
    const what = inputs.runningConfigs ? "have no recorded running config" : "are unreachable";
    return fail(
      `${plan.summary.unreachable} ${plan.summary.unreachable === 1 ? "switch" : "switches"} ${what}; set allow-unreachable to accept`,
      { plan },
    );
  }
  if (planned.code !== 0 && planned.code !== 2)
    return fail(`reconciler plan exited with ${planned.code}`, { plan });
  if (hasChanges && inputs.failOnChanges)
    return fail("the plan has changes and fail-on-changes is set", { plan });
  return finish(0, { plan });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** `validate --json` prints flat records ({code, message, hint, file, line, col}). */
function parseValidationErrors(text: string): FabricError[] {
  const json = parseJson(text) as
    | { errors?: { code: string; message: string; hint: string; file: string; line: number; col: number }[] }
    | undefined;
  return (json?.errors ?? []).map((e) => ({
    code: e.code,
    message: e.message,
    hint: e.hint,
    position: { file: e.file, line: e.line, col: e.col },
  }));
}

/** Workflow command data escaping (@actions/core): %, CR and LF. */
export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

/** The gate's inputs from the environment the composite action sets (GATE_*) and the runner's own. */
export function gateInputsFromEnv(env: NodeJS.ProcessEnv): GateInputs {
  const flag = (value: string | undefined) => /^(true|yes|1)$/i.test(value ?? "");
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  return {
    fabricDir: env.GATE_FABRIC_DIR || ".",
    runningConfigs: env.GATE_RUNNING_CONFIGS || undefined,
    failOnChanges: flag(env.GATE_FAIL_ON_CHANGES),
    allowUnreachable: flag(env.GATE_ALLOW_UNREACHABLE),
    pathPrefix: env.GATE_PATH_PREFIX || undefined,
    runUrl,
  };
}

/** The real IO: the CLI `cli` (this checkout's bin/reconciler.mjs), and the files the runner names in GITHUB_STEP_SUMMARY / GITHUB_OUTPUT. */
export function actionsIo(
  env: NodeJS.ProcessEnv,
  /** redact: for config lines shown; values: for each whole text written (the process's secrets). */
  redaction: { redact: (text: string) => string; redactValues: (text: string) => string },
  cli: string,
  cwd = process.cwd(),
): GateIo {
  const redact = (text: string) => redaction.redactValues(text);
  return {
    redact: (text) => redaction.redact(text),
    redactValues: redact,
    // Everything the gate writes passes `redact`, not only the config lines it quotes.
    log: (text) => void process.stdout.write(redact(text)),
    runCli: (args) =>
      new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [cli, ...args], {
          cwd,
          env,
          stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
      }),
    appendSummary: async (markdown) => {
      if (env.GITHUB_STEP_SUMMARY) await appendFile(env.GITHUB_STEP_SUMMARY, redact(markdown));
      else process.stdout.write(redact(markdown));
    },
    setOutput: async (name, value) => {
      if (!env.GITHUB_OUTPUT) return;
      // Multi-line form with a random delimiter, as @actions/core writes it.
      const delimiter = `ghadelimiter_${randomUUID()}`;
      await appendFile(env.GITHUB_OUTPUT, `${name}<<${delimiter}\n${redact(value)}\n${delimiter}\n`);
    },
  };
}

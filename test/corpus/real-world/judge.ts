/**
 * Judges one corpus pair: the engine's remediation is typed, line by line, into the simulator's CLI
 * (reconciler/sim, written without the engine's rules) on a switch whose running-config is the pair's
 * running; the switch must end at intended, and a second remediation from what it ends at must be empty.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { configDifference } from "../../../reconciler/sim/cli/compare.ts";
import { CliSession } from "../../../reconciler/sim/cli/interpreter.ts";
import { ConfigStore } from "../../../reconciler/sim/cli/store.ts";
import { parseConfig as simParse, renderConfig as simRender } from "../../../reconciler/sim/index.ts";
import {
  ApplyError,
  ConfigParseError,
  PredictionMismatchError,
  parseConfig,
  remediate,
  scopeOfAll,
} from "../../../reconciler/src/eos/index.ts";

const HERE = dirname(fileURLToPath(import.meta.url));

export interface CorpusPair {
  id: string;
  kind: string;
  source: string;
  commit: string;
  running: string;
  intended: string;
}

export type Verdict =
  /** The switch ends at intended and a second remediation is empty. */
  | { kind: "right"; commands: string[] }
  /** The engine refused to parse a config (every config EOS prints must parse). */
  | { kind: "parse-error"; reason: string }
  /** The engine said the switch cannot be planned safely, naming the line and why. */
  | { kind: "unplannable"; reason: string }
  /** The switch refused a command, ended elsewhere than intended, or a second plan was not empty. */
  | { kind: "wrong"; reason: string; commands: string[] }
  /** The simulator cannot say: it does not model what the remediation touches. */
  | { kind: "unjudgeable"; reason: string };

/**
 * Types `commands` into the simulated CLI of a switch running `runningText`; right when the switch
 * ends at `intendedText` (as EOS would show both). For any tool's script, not only the engine's.
 */
export function applyOnSimulator(
  runningText: string,
  intendedText: string,
  commands: string[],
):
  | { kind: "right"; commands: string[]; store: ConfigStore }
  | Extract<Verdict, { kind: "wrong" | "unjudgeable" }> {
  const { store, cli } = corpusSwitch(runningText);
  cli.run("configure");
  for (let i = 0; i < commands.length; i++) {
    const out = cli.run(commands[i]!, commands[i + 1]);
    // The simulator lost track of its own mode: it cannot say what EOS would do with the rest.
    if (out.startsWith("% Internal error"))
      return { kind: "unjudgeable", reason: `command ${i + 1} ${JSON.stringify(commands[i])}: ${out}` };
    if (out !== "")
      return { kind: "wrong", reason: `command ${i + 1} ${JSON.stringify(commands[i])}: ${out}`, commands };
  }
  cli.run("end");
  const difference = configDifference(store.running, simParse(intendedText));
  if (difference)
    return { kind: "wrong", reason: `switch ends differently from intended: ${difference}`, commands };

  return { kind: "right", commands, store };
}

/** A simulated switch's CLI at privilege 15, running `runningText`. */
export function corpusSwitch(runningText: string): { store: ConfigStore; cli: CliSession } {
  const store = new ConfigStore(runningText);
  const cli = new CliSession({
    store,
    privilege: () => 15,
    hostname: () => "corpus",
    showVersion: () => "",
    showXmpp: () => "",
  });
  return { store, cli };
}

export function loadPairs(): CorpusPair[] {
  return JSON.parse(readFileSync(join(HERE, "pairs.json"), "utf8")) as CorpusPair[];
}

export function configText(id: string): string {
  return readFileSync(join(HERE, "configs", `${id}.cfg`), "utf8");
}

export function judgePair(runningText: string, intendedText: string): Verdict {
  let commands: string[];
  let intended: ReturnType<typeof parseConfig>;
  try {
    const running = parseConfig(runningText);
    intended = parseConfig(intendedText);
    commands = remediate(running, intended, scopeOfAll(running, intended)).commands;
  } catch (error) {
    if (error instanceof ConfigParseError) return { kind: "parse-error", reason: error.message };
    if (error instanceof ApplyError || error instanceof PredictionMismatchError)
      return { kind: "unplannable", reason: error.message };
    throw error;
  }

  const applied = applyOnSimulator(runningText, intendedText, commands);
  if (applied.kind !== "right") return applied;
  const store = applied.store;

  const after = parseConfig(simRender(store.running, []));
  const again = remediate(after, intended, scopeOfAll(after, intended)).commands;
  if (again.length > 0)
    return {
      kind: "wrong",
      reason: `a second remediation is not empty: ${again.slice(0, 6).join(" / ")}`,
      commands,
    };
  return { kind: "right", commands };
}

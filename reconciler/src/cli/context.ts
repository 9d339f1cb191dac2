import type { Command } from "commander";
import type { Redactor } from "../redaction/index.ts";

/** Where a command writes and what it may read: the composition root passes it down. */
export interface CliContext {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** Colour and progress displays only when the output is a terminal. */
  isTTY: boolean;
  /** Set by the command's action; main() returns it. */
  exitCode: number;
  /**
   * The process's one redaction step (redacting-output.ts): stdout and stderr pass it, and so do the
   * service's logs, comments, statuses and pages. Commands register each secret they read.
   */
  redactor?: Redactor;
}

/** Each command file exports one of these; main.ts calls them all. */
export type RegisterCommand = (program: Command, ctx: CliContext) => void;

export function processContext(): CliContext {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    cwd: process.cwd(),
    isTTY: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR,
    exitCode: 0,
  };
}

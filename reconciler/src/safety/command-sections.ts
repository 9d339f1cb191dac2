/**
 * Config that makes the switch run commands later, by itself: denied by default, because a line in
 * one of these is a script that the deny list would otherwise never see. A fabric may allow one by
 * name, with a reason (fabric.yaml `policy.allowCommandSections`); the command lines inside it are
 * then still checked as commands. Data, read by check-tree.ts.
 *
 * EOS features that run commands or programs: event-handler (`action bash …` on a trigger), alias
 * (a new command word that runs another command, one line or a numbered script), schedule (a command
 * run on an interval), daemon (a Linux program EOS starts and restarts), extension (installs and
 * runs a software package), and management api http-commands with `protocol unix-socket` (any
 * local process may run CLI commands through the socket, without login).
 */
export interface CommandSection {
  /** How fabric.yaml names it. */
  name: string;
  /** Expanded keywords of the top-level line that opens it. */
  header: string[];
  /** The section runs commands only when one of its children starts with these words (else: always). */
  onlyWith?: string[];
  what: string;
  /** Where its command lines are. */
  commands: CommandSource[];
}

/**
 * A command carried by the section: in the header line after some words, or in child lines that
 * start with some words (the rest is the command). `shell`: the rest is a program, not CLI.
 */
export type CommandSource =
  | { in: "header"; after: string[] | number }
  | { in: "child"; startsWith: string[]; shell?: boolean }
  | { in: "numbered-child" };

export const commandSections: readonly CommandSection[] = [
  {
    name: "event-handler",
    header: ["event-handler"],
    what: "runs its action (a bash command) whenever its trigger fires",
    commands: [{ in: "child", startsWith: ["action"] }],
  },
  {
    name: "alias",
    header: ["alias"],
    what: "makes a new command word that runs other commands",
    commands: [{ in: "header", after: 2 }, { in: "numbered-child" }],
  },
  {
    name: "schedule",
    header: ["schedule"],
    what: "runs a command on an interval",
    commands: [{ in: "header", after: ["command"] }],
  },
  {
    name: "daemon",
    header: ["daemon"],
    what: "starts a Linux program and keeps it running",
    commands: [{ in: "child", startsWith: ["exec"], shell: true }],
  },
  {
    name: "extension",
    header: ["extension"],
    what: "installs and runs a software package",
    commands: [],
  },
  {
    name: "management api http-commands unix-socket",
    header: ["management", "api", "http-commands"],
    onlyWith: ["protocol", "unix-socket"],
    what: "lets any local process run CLI commands through a socket, without logging in",
    commands: [],
  },
];

/** Programs that are themselves a way to run anything: an allowed daemon must not be one. */
export const shellPrograms =
  /(^|\/)(bash|sh|dash|zsh|ksh|csh|tcsh|busybox|python\d*(\.\d+)?|perl|ruby|env|sudo|su)$/;

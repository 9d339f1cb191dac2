import type { VerifyBy } from "../fabric/types.ts";

/**
 * The EOS config-session commands rollout sends (reference/eos-xmpp.md §3). Only forms that work in
 * both CLI framings (DESIGN §8): enter the session once, then EXEC one-liners that name it. The
 * transport ends every script with a command that always prints, so a script of config lines that
 * print nothing still gets its reply.
 */
export function stageScript(session: string, commands: string[]): string[] {
  return [`configure session ${session}`, ...commands, "end"];
}

/**
 * `commit timer` with what verification reads (rollout.verify, verify-reply.ts): the session's diff
 * asked just before the commit in the same message, or the whole running config read after it.
 */
export function commitTimerScript(session: string, timer: string, verify: VerifyBy): string[] {
  const commit = `configure session ${session} commit timer ${timer}`;
  return verify === "session-diff"
    ? [`show session-config named ${session} diffs`, commit]
    : [commit, "show running-config"];
}

export function confirmScript(session: string): string[] {
  return [`configure session ${session} commit`];
}

/** The reconciler's own save step (DESIGN §6): a confirmed change survives a reload. */
export function saveScript(): string[] {
  return ["copy running-config startup-config"];
}

export function abortScript(session: string): string[] {
  return [`configure session ${session} abort`];
}

/** EOS prints errors as lines starting with "% " (Invalid input, Incomplete command, Authorization …). */
export function errorLines(reply: string): string[] {
  return reply
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith("%"));
}

/** The running config in a reply that may start with error lines. */
export function runningConfigIn(reply: string): string {
  return reply
    .split("\n")
    .filter((line) => !line.trim().startsWith("%"))
    .join("\n");
}

/** EOS session names: letters, digits, '-' and '_'. */
export function sessionNameFor(runId: string): string {
  return `reconciler-${runId}`.replace(/[^A-Za-z0-9_-]/g, "-").slice(0, 48);
}

/** EOS lists the config sessions it holds, with each one's state (reference/eos-xmpp.md §3.2). */
export function sessionsScript(): string[] {
  return ["show configuration sessions"];
}

/** A session's state as the switch's own table shows it; undefined when the table does not list it. */
export type ListedSessionState = "pending" | "committed-with-timer" | "committed" | "aborted";

/**
 * Reads one session's row of `show configuration sessions` (text: `  NAME  STATE  …` rows under a
 * `Name State …` header; EOS's JSON names the states pending, pendingCommitTimer, completed), and the
 * `Session with pending commit timer: NAME` line of the detailed form.
 */
export function listedSessionState(reply: string, session: string): ListedSessionState | undefined {
  for (const line of reply.split("\n")) {
    const timer = /^Session with pending commit timer:\s*(\S+)/i.exec(line.trim());
    if (timer?.[1] === session) return "committed-with-timer";
  }
  for (const line of reply.split("\n")) {
    const words = line
      .trim()
      .replace(/^\*\s*/, "")
      .split(/\s+/);
    if (words[0] !== session || words.length < 2) continue;
    const state = words[1]!.toLowerCase().replace(/[-_]/g, "");
    if (state === "pending") return "pending";
    if (state === "pendingcommittimer" || state === "committimer") return "committed-with-timer";
    if (state === "completed" || state === "committed") return "committed";
    if (state === "aborted") return "aborted";
  }
  return undefined;
}

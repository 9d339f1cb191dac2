/**
 * The built-in deny list as data (DESIGN §6), matched on the expanded words of a command (see
 * expand.ts), never on its spelling. `…` stands for any number of words. A rule matches a negated
 * command as well (`no configure session X` deletes a session).
 */
export interface DenyRule {
  /** The command as people say it, for messages ("write erase"). */
  command: string;
  /** Expanded keywords in order; "…" matches any words. */
  words: string[];
  reason: string;
  /** destructive: harms the switch; session: would take over the reconciler's session or CLI mode. */
  kind: "destructive" | "session-control" | "shell";
}

const sessionReason =
  "session-control commands are the reconciler's own: one in desired config would commit, abort or leave its config session early (a `commit` there goes live with no commit timer)";

/** More specific rules first: the first match names the reason. */
export const builtinDenyRules: readonly DenyRule[] = [
  { command: "reload", words: ["reload"], reason: "it reboots the switch", kind: "destructive" },
  {
    command: "bash",
    words: ["bash"],
    reason: "it runs a shell command outside the config model",
    kind: "shell",
  },
  {
    command: "run",
    words: ["run"],
    reason: "it runs arbitrary commands outside the config model",
    kind: "shell",
  },
  {
    command: "write erase",
    words: ["write", "erase"],
    reason: "it erases the startup config",
    kind: "destructive",
  },
  {
    command: "erase",
    words: ["erase"],
    reason: "it erases a file system or the startup config",
    kind: "destructive",
  },
  {
    command: "zerotouch",
    words: ["zerotouch"],
    reason: "it re-provisions the switch from scratch",
    kind: "destructive",
  },
  { command: "delete", words: ["delete"], reason: "it deletes files on the switch", kind: "destructive" },
  {
    command: "configure replace",
    words: ["configure", "replace"],
    reason: "it replaces the whole config",
    kind: "destructive",
  },
  {
    command: "copy … startup-config",
    words: ["copy", "…", "startup-config"],
    reason: "only the reconciler's own save step may write the startup config",
    kind: "destructive",
  },
  {
    command: "username … shell",
    words: ["username", "…", "shell"],
    reason: "it gives a login a Unix shell instead of the CLI",
    kind: "shell",
  },
  {
    command: "rollback clean-config",
    words: ["rollback"],
    reason: "it resets the config session to factory defaults",
    kind: "destructive",
  },
  { command: "commit", words: ["commit"], reason: sessionReason, kind: "session-control" },
  { command: "abort", words: ["abort"], reason: sessionReason, kind: "session-control" },
  { command: "configure", words: ["configure"], reason: sessionReason, kind: "session-control" },
  { command: "end", words: ["end"], reason: sessionReason, kind: "session-control" },
  { command: "exit", words: ["exit"], reason: sessionReason, kind: "session-control" },
  { command: "copy", words: ["copy"], reason: sessionReason, kind: "session-control" },
  { command: "write", words: ["write"], reason: sessionReason, kind: "session-control" },
];

/**
 * A word of a rule matches the expanded word, or a file URL naming it (`flash:startup-config`), in
 * any case: arguments keep their case, and flash: is a FAT file system, where case does not matter.
 */
function wordMatches(rule: string, word: string): boolean {
  const lower = word.toLowerCase();
  return lower === rule || lower.endsWith(`:${rule}`) || lower.endsWith(`/${rule}`);
}

/** Whether the rule's words match the start of the command (with `…` spanning any words). */
export function ruleMatches(rule: readonly string[], words: readonly string[]): boolean {
  const match = (r: number, w: number): boolean => {
    if (r === rule.length) return true;
    if (rule[r] === "…") {
      for (let skip = w; skip <= words.length; skip++) if (match(r + 1, skip)) return true;
      return false;
    }
    return w < words.length && wordMatches(rule[r]!, words[w]!) && match(r + 1, w + 1);
  };
  return match(0, 0);
}

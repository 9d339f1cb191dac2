import type { CommandName, CommentCommand } from "./types.ts";

const NAMES: readonly CommandName[] = ["plan", "apply", "unlock", "heal", "help"];

/**
 * The command a comment gives: its first non-empty line must start with `/reconciler` (as Atlantis
 * reads `atlantis plan`); undefined for any other comment, which the service ignores. The rest of
 * the line is the command's arguments (an apply's freeze-override reason).
 */
export function parseCommand(body: string): CommentCommand | undefined {
  const first = body
    .split(/\r?\n/)
    .map((line) => line.trim())
    .find((line) => line !== "");
  const match = first ? /^\/reconciler(?:\s+(\S+))?(?:\s+(.*))?$/.exec(first) : null;
  if (!match) return undefined;
  const written = (match[1] ?? "help").toLowerCase();
  const args = (match[2] ?? "").trim();
  const name = NAMES.find((n) => n === written);
  return name ? { name, args } : { name: "unknown", args, written };
}

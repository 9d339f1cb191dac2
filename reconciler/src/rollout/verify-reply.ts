/**
 * What a switch's running config is once its commit timer runs, as its verification reply shows it
 * (DESIGN §7, issue 14 "read back only what verification needs"). Two ways, set by `rollout.verify`:
 *
 * - `running-config`: the reply is the whole running config, read after the commit.
 * - `session-diff`: the reply is `show session-config named S diffs`, asked in the same message just
 *   before the commit, so it is what this commit changes as the switch itself computes it (unified
 *   diff, running → session; reference/eos-xmpp.md §3.3). Applied to the running config the plan was
 *   made from, it gives the config the switch runs after the commit. Its context lines must be found
 *   in that config, so a change made since the plan next to (or in) what the commit touches fails
 *   verification; a change elsewhere is left to the next drift scan. A few lines per switch instead
 *   of its whole config: at 2,000 switches the read-back was most of the bytes through the server.
 */
import { applyPatch, parsePatch } from "diff";
import { runningConfigIn } from "./eos-session.ts";

export type VerifyReading = { ok: true; running: string } | { ok: false; reason: string };

const DIFF_HEADER = /^--- \S*running-config\s*$/m;

export function runningFromReadBack(reply: string): VerifyReading {
  return { ok: true, running: runningConfigIn(reply) };
}

export function runningFromSessionDiff(reply: string, planned: string): VerifyReading {
  const source = `${planned.trimEnd()}\n`;
  const start = reply.search(DIFF_HEADER);
  // EOS prints nothing when the session changes nothing.
  if (start < 0) {
    return reply.trim() === ""
      ? { ok: true, running: source }
      : { ok: false, reason: `the session diff is not a unified diff (starts "${firstLine(reply)}")` };
  }
  // The body is read as lines that all end in a newline: the source above is made to, too.
  const body = reply
    .slice(start)
    .split("\n")
    .filter((line) => !line.startsWith("\\"))
    .join("\n");
  let patches: ReturnType<typeof parsePatch>;
  try {
    patches = parsePatch(body);
  } catch (error) {
    return { ok: false, reason: `the session diff cannot be read (${(error as Error).message})` };
  }
  const patch = patches[0];
  // EOS prints nothing at all for a session that changes nothing: a header alone is a cut reply.
  if (!patch || patch.hunks.length === 0)
    return { ok: false, reason: "the session diff has a header but no hunk (reply cut short?)" };
  const applied = applyPatch(source, patch, { compareLine: sameLine });
  if (applied === false)
    return {
      ok: false,
      reason:
        "the switch's session diff does not fit the running config the plan was made from (changed since the plan?)",
    };
  return { ok: true, running: applied };
}

/**
 * Comment lines (`!` …) carry no config and the file the switch diffs may head them differently from
 * `show running-config` (`! Command:` …); trailing blanks are not config either.
 */
function sameLine(_lineNumber: number, line: string, _operation: string, patchContent: string): boolean {
  const a = line.trimEnd();
  const b = patchContent.trimEnd();
  if (a === b) return true;
  return a.trimStart().startsWith("!") && b.trimStart().startsWith("!");
}

function firstLine(text: string): string {
  return (text.trim().split("\n")[0] ?? "").slice(0, 60);
}

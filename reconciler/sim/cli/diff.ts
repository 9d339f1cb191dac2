/**
 * `show session-config diffs`: a unified diff of running vs the session, with exactly the headers EOS
 * prints (`--- system:/running-config`, `+++ session:/NAME-session-config`, eos-xmpp.md §3.3); empty when
 * the session changes nothing.
 */
import { structuredPatch } from "diff";

export function sessionDiff(session: string, running: string, candidate: string): string {
  if (running === candidate) return "";
  const patch = structuredPatch("running", "session", running, candidate, "", "", { context: 3 });
  const out = ["--- system:/running-config", `+++ session:/${session}-session-config`];
  for (const h of patch.hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    out.push(...h.lines.filter((l) => !l.startsWith("\\")));
  }
  return out.join("\n");
}

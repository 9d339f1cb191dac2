/**
 * The framing probe (pure). EOS's framing over XMPP is not documented (eos-xmpp.md §2.2): a message may
 * be run as a script in a fresh CLI session (multiline), or one line per message with the CLI mode kept
 * per sender (per-sender). The probe tells them apart by whether the mode survives between messages, with
 * nothing that changes the switch: one line per message (what both framings accept),
 *
 *   1. `configure session P`        enters an empty, throw-away config session
 *   2. `show session-config`        prints that session if the mode was kept; an error in a fresh EXEC CLI
 *   3. `configure session P abort`  discards it either way (works from EXEC and from config mode, §3.1)
 *
 * then the transport's terminator. A multiline switch also leaves no session: 3 aborts the one 1 opened.
 */
import type { CliMode } from "../fabric/types.ts";

export function probeLines(session: string): string[] {
  return [`configure session ${session}`, "show session-config", `configure session ${session} abort`];
}

/** `show session-config` prints the session as config, headed like every EOS config display. */
const SESSION_SHOWN = /^! Command: show session-config\b/m;

/** The framing a probe's reply shows (the reply includes error lines: the multiline switch's answer has one). */
export function readProbeReply(reply: string): CliMode {
  return SESSION_SHOWN.test(reply) ? "per-sender" : "multiline";
}

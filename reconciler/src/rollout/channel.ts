/**
 * The part of the XMPP transport that rollout and observation use (structurally a subset of
 * transport's `Transport`, so tests and the real session both satisfy it).
 */
import type { CliMode } from "../fabric/types.ts";

export type GroupReply = { ok: true; text: string } | { ok: false; error: Error & { code?: string } };

export interface SwitchChannel {
  /** Runs a script on one switch; the last line must print (EOS replies only with output). */
  sendScript(
    device: string,
    lines: string[],
    opts?: { timeoutMs?: number; framing?: CliMode },
  ): Promise<string>;
  /** Runs a script in a group's room; one reply per expected member. */
  sendScriptToGroup(
    group: string,
    lines: string[],
    opts: { members: string[]; timeoutMs?: number },
  ): Promise<Map<string, GroupReply>>;
}

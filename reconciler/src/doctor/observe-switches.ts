/**
 * Each switch as the reconciler reaches it: its `management xmpp` block (privilege, unencrypted
 * fallback, server, domain), and, with a second test account, whether it refuses a stranger. Commands
 * go one line per message (both CLI framings take that) and are show commands only.
 */
import pLimit from "p-limit";
import type { SwitchObservation } from "./types.ts";

/** What the doctor needs from a transport (structurally a part of transport's `Transport`). */
export interface ShowChannel {
  sendScript(
    device: string,
    lines: string[],
    opts?: { timeoutMs?: number; framing?: "multiline" | "per-sender" },
  ): Promise<string>;
}

const ONE_LINE = { framing: "per-sender" as const };

export async function observeSwitches(
  channel: ShowChannel,
  devices: { name: string; jid: string }[],
  timeoutMs: number,
): Promise<SwitchObservation[]> {
  const limit = pLimit(8);
  return Promise.all(
    devices.map((d) =>
      limit(async (): Promise<SwitchObservation> => {
        try {
          const text = await channel.sendScript(d.name, ["show running-config section management xmpp"], {
            ...ONE_LINE,
            timeoutMs,
          });
          return { device: d.name, jid: d.jid, block: readXmppBlock(text) };
        } catch (error) {
          const e = error as { code?: string; message?: string };
          return {
            device: d.name,
            jid: d.jid,
            error: { code: e.code ?? "error", message: e.message ?? String(error) },
          };
        }
      }),
    ),
  );
}

/** EOS running-config of `management xmpp` (eos-xmpp.md, field report): sub-commands 3 spaces in. */
export function readXmppBlock(text: string): NonNullable<SwitchObservation["block"]> {
  const sub = (re: RegExp) => re.exec(text)?.[1];
  const privilege = sub(/^ {3}session privilege (\d+)$/m);
  return {
    // EOS's default for received commands is privilege 1 (eos-xmpp.md §1.1)
    privilege: privilege === undefined ? 1 : Number(privilege),
    unencryptedPermit: /^ {3}connection unencrypted permit$/m.test(text),
    server: sub(/^ {3}server (\S+)/m),
    domain: sub(/^ {3}domain (\S+)$/m),
  };
}

/** A show command from the unauthorized account: a real answer is a failure, a refusal or silence is not. */
export async function observeStranger(
  stranger: ShowChannel,
  devices: string[],
  timeoutMs: number,
): Promise<Map<string, "refused" | "answered">> {
  const limit = pLimit(8);
  const out = new Map<string, "refused" | "answered">();
  await Promise.all(
    devices.map((device) =>
      limit(async () => {
        try {
          // resolving at all means it ran both lines (the transport's terminator printed)
          await stranger.sendScript(device, ["show version"], { ...ONE_LINE, timeoutMs });
          out.set(device, "answered");
        } catch {
          // not authorized, an error line, or no answer at all: the switch did not run it for us
          out.set(device, "refused");
        }
      }),
    ),
  );
  return out;
}

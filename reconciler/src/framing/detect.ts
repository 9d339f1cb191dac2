/**
 * `cliMode: auto`: the framing of each switch, from memory when the switch is still the client it was
 * probed on (same XMPP resource), else probed (probe.ts) and remembered. A new resource means a new
 * client session on the switch (reload, upgrade, agent restart), which may frame differently: probe again.
 */
import { randomBytes } from "node:crypto";
import pLimit from "p-limit";
import { probeLines, readProbeReply } from "./probe.ts";
import type { DeviceFraming, FramingChannel, FramingMemory, FramingRecord } from "./types.ts";

export interface DetectOptions {
  channel: FramingChannel;
  devices: string[];
  memory: FramingMemory;
  /** Per probe; a switch that does not answer is assumed multiline (and fails observation on its own). */
  timeoutMs: number;
  maxParallel: number;
  now?: () => Date;
}

export async function detectFramings(o: DetectOptions): Promise<Map<string, DeviceFraming>> {
  const records = await o.memory.read();
  const out = new Map<string, DeviceFraming>();
  let changed = false;
  const limit = pLimit(Math.max(1, o.maxParallel));
  await Promise.all(
    o.devices.map((device) =>
      limit(async () => {
        const known = records[device];
        const resource = known ? await currentResource(o, device) : undefined;
        if (known && resource !== undefined && known.resource === resource) {
          out.set(device, { mode: known.mode, source: "remembered" });
          return;
        }
        const probed = await probe(o, device);
        out.set(device, probed.framing);
        if (probed.record) {
          records[device] = probed.record;
          changed = true;
        }
      }),
    ),
  );
  for (const [device, framing] of out) o.channel.useFraming(device, framing.mode);
  if (changed) await o.memory.write(records);
  return out;
}

/**
 * The resource of the switch's session: from presence, or (presence not in yet right after login) from
 * the reply to one message. It must be exactly one message with exactly one reply whatever the framing
 * (a second reply, from a switch that does not echo threads, would be taken for the next request's):
 * `show hostname` plus the terminator in one body prints once on a multiline switch, and is one bad
 * command (one error reply) on a switch that takes one command per message.
 */
async function currentResource(o: DetectOptions, device: string): Promise<string | undefined> {
  const known = o.channel.resourceOf(device);
  if (known !== undefined) return known;
  try {
    await o.channel.sendScript(device, ["show hostname"], { timeoutMs: o.timeoutMs, framing: "multiline" });
  } catch {
    // unanswered: probe, which reports the failure
  }
  return o.channel.resourceOf(device);
}

async function probe(
  o: DetectOptions,
  device: string,
): Promise<{ framing: DeviceFraming; record?: FramingRecord }> {
  const session = `reconciler-probe-${randomBytes(3).toString("hex")}`;
  let reply: string;
  try {
    // one line per message: the form both framings take
    reply = await o.channel.sendScript(device, probeLines(session), {
      timeoutMs: o.timeoutMs,
      framing: "per-sender",
    });
  } catch (error) {
    const e = error as { code?: string; output?: string; message?: string };
    if (e.code === "command-error" && typeof e.output === "string") reply = e.output;
    else {
      // not authorized (privilege below 15 cannot open a session), offline, no answer: nothing learnt
      return {
        framing: { mode: "multiline", source: "assumed", note: `probe failed: ${e.code ?? e.message}` },
      };
    }
  }
  const mode = readProbeReply(reply);
  return {
    framing: { mode, source: "detected" },
    record: {
      mode,
      resource: o.channel.resourceOf(device),
      detectedAt: (o.now?.() ?? new Date()).toISOString(),
    },
  };
}

/** The fabric names the framing: every switch uses it, nothing is probed. */
export function configuredFramings(
  devices: string[],
  mode: DeviceFraming["mode"],
): Map<string, DeviceFraming> {
  return new Map(devices.map((d) => [d, { mode, source: "configured" }]));
}

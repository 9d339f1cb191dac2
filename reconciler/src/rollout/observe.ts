import { readFile } from "node:fs/promises";
import { join } from "node:path";
import pLimit from "p-limit";
import type { Observation } from "../plan/index.ts";
import type { SwitchChannel } from "./channel.ts";

/** Where running configs come from: live switches, or files recorded earlier (CI gate, offline plan). */
export interface RunningConfigSource {
  /** `onEach`: called with each switch's observation as it arrives (e.g. to plan it while the rest come in). */
  observe(
    devices: string[],
    onEach?: (device: string, observation: Observation) => void,
  ): Promise<Map<string, Observation>>;
}

/**
 * `show running-config` on every switch, 1:1: a room would broadcast each switch's whole config to
 * every occupant (N² traffic), so rooms are kept for small replies.
 */
export function liveRunningConfigs(
  channel: SwitchChannel,
  options: { timeoutMs: number; maxParallel: number },
): RunningConfigSource {
  const limit = pLimit(Math.max(1, options.maxParallel));
  return {
    async observe(devices, onEach) {
      const entries = await Promise.all(
        devices.map((device) =>
          limit(async (): Promise<[string, Observation]> => {
            try {
              const text = await channel.sendScript(device, ["show running-config"], {
                timeoutMs: options.timeoutMs,
              });
              const error = text.split("\n").find((line) => line.startsWith("% "));
              return [
                device,
                error ? { ok: false, code: "command-error", message: error } : { ok: true, text },
              ];
            } catch (error) {
              const code = (error as { code?: string }).code ?? "error";
              return [device, { ok: false, code, message: (error as Error).message }];
            }
          }).then(([name, observation]) => {
            onEach?.(name, observation);
            return [name, observation] as const;
          }),
        ),
      );
      return new Map(entries);
    },
  };
}

/** Running configs recorded as `<dir>/<device>.cfg` (e.g. by `show running-config` into files). */
export function recordedRunningConfigs(dir: string): RunningConfigSource {
  const read = async (device: string): Promise<Observation> => {
    const path = join(dir, `${device}.cfg`);
    try {
      return { ok: true, text: await readFile(path, "utf8") };
    } catch (error) {
      return { ok: false, code: "no-recording", message: `cannot read ${path}: ${(error as Error).message}` };
    }
  };
  return {
    async observe(devices, onEach) {
      const entries = await Promise.all(
        devices.map(async (device) => {
          const observation = await read(device);
          onEach?.(device, observation);
          return [device, observation] as const;
        }),
      );
      return new Map(entries);
    },
  };
}

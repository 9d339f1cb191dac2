import type { Fabric } from "../../fabric/index.ts";
import type { CliContext } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";

/**
 * `reconciler sim --syslog udp://HOST:PORT --emit "leaf3:MESSAGE"`: a simulated switch sends one
 * syslog line, from its management address when that is a loopback address this host can send from
 * (127.0.0.0/8), so the service attributes it to the switch the way it would a real one.
 */
export async function emitSyslog(
  fabric: Fabric,
  target: string,
  emits: string[],
  ctx: CliContext,
): Promise<number> {
  const { formatSyslog, sendSyslog } = await import("../../../sim/index.ts");
  const url = /^(udp|tcp):\/\/(\[[^\]]+\]|[^:/]+):(\d+)$/.exec(target);
  if (!url) {
    ctx.stderr(`reconciler sim: --syslog takes udp://HOST:PORT or tcp://HOST:PORT (got "${target}")\n`);
    return ExitCode.invalidInput;
  }
  const [, transport, host, port] = url as unknown as [string, "udp" | "tcp", string, string];
  for (const emit of emits) {
    const colon = emit.indexOf(":");
    const device = fabric.devices[emit.slice(0, colon)];
    if (colon < 1 || !device) {
      ctx.stderr(`reconciler sim: --emit takes DEVICE:MESSAGE with a device of the fabric (got "${emit}")\n`);
      return ExitCode.invalidInput;
    }
    const from = device.managementAddress?.startsWith("127.") ? device.managementAddress : undefined;
    const line = formatSyslog({ host: device.hostname, app: "Sim", message: emit.slice(colon + 1) });
    try {
      await sendSyslog(
        { transport, host: host.replace(/^\[|\]$/g, ""), port: Number(port), ...(from ? { from } : {}) },
        [line],
      );
    } catch (error) {
      ctx.stderr(`reconciler sim: cannot send syslog to ${target}: ${(error as Error).message}\n`);
      return ExitCode.unreachable;
    }
    ctx.stdout(`sent from ${device.name}${from ? ` (${from})` : ""}: ${line}\n`);
  }
  return ExitCode.ok;
}

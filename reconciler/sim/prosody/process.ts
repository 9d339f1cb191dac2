/**
 * Starting and stopping one Prosody process and knowing when it is ready.
 * Ready = the log says c2s is bound to OUR port AND the port accepts a connection. A port probe alone is
 * fooled when the port is taken: Prosody then logs "Failed to open server port" and keeps running with no
 * c2s listener (shared/reference/xmpp-prosody.md "Start / stop").
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { readFile, rename } from "node:fs/promises";
import { join } from "node:path";
import { freePort, isPortOpen } from "../xmpp-server/loopback.ts";
import { PortInUseError, XmppServerNotInstalledError } from "../xmpp-server/types.ts";

export class ProsodyNotInstalledError extends XmppServerNotInstalledError {
  constructor() {
    super("prosody");
    this.name = "ProsodyNotInstalledError";
  }
}

export { freePort, isPortOpen, PortInUseError };

let installed: boolean | undefined;

export function assertProsodyInstalled(): void {
  installed ??= spawnSync("prosody", ["--help"], { stdio: "ignore" }).error === undefined;
  if (!installed) throw new ProsodyNotInstalledError();
}

// Servers that are still running when the process exits (a crashed test) are killed, not orphaned.
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LaunchOptions {
  dir: string;
  configFile: string;
  port: number;
  /** More listeners that must accept connections before the server counts as ready (direct TLS). */
  alsoPorts?: number[];
  readyTimeoutMs?: number;
}

export async function launchProsody(o: LaunchOptions): Promise<ChildProcess> {
  assertProsodyInstalled();
  if (await isPortOpen(o.port)) throw new PortInUseError(o.port);
  const logFile = join(o.dir, "prosody.log");
  // a restart must not read the previous run's "Activated" line
  await rename(logFile, `${logFile}.prev`).catch(() => undefined);
  const out = openSync(join(o.dir, "prosody.stdout"), "a");
  const child = spawn("prosody", ["--config", o.configFile, "-F"], { stdio: ["ignore", out, out] });
  closeSync(out);
  running.add(child);
  let exited = false;
  child.once("exit", () => {
    exited = true;
    running.delete(child);
  });
  const ready = `Activated service 'c2s' on [127.0.0.1]:${o.port}`;
  const deadline = Date.now() + (o.readyTimeoutMs ?? 10_000);
  while (Date.now() < deadline) {
    const log = await readFile(logFile, "utf8").catch(() => "");
    if (log.includes(ready) && (await isPortOpen(o.port))) {
      const others = await Promise.all((o.alsoPorts ?? []).map(isPortOpen));
      if (others.every(Boolean)) return child;
    }
    if (log.includes("Failed to open server port")) {
      await stopProcess(child);
      throw new PortInUseError(o.port);
    }
    if (exited) {
      const stdout = await readFile(join(o.dir, "prosody.stdout"), "utf8").catch(() => "");
      throw new Error(`prosody exited during start-up (see ${o.dir}):\n${stdout}\n${log}`.trim());
    }
    await sleep(25);
  }
  await stopProcess(child);
  throw new Error(`prosody did not become ready on port ${o.port} within the time limit (see ${logFile})`);
}

/** SIGTERM, then SIGKILL when Prosody has not exited after `graceMs` (its own shutdown takes ~1.3 s). */
export async function stopProcess(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill("SIGCONT"); // a frozen server cannot act on SIGTERM
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), graceMs);
  });
  // cleared at once: a pending grace timer would keep the demo's process alive for 5 s after it is done
  const killed = await Promise.race([exited.then(() => false), grace]).finally(() => clearTimeout(timer));
  if (killed) {
    child.kill("SIGKILL");
    await exited;
  }
}

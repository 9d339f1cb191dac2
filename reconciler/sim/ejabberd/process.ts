/**
 * Starting and stopping one isolated ejabberd (Debian's `ejabberdctl foreground`) and knowing when it is
 * ready: the log says c2s accepts on OUR port, every port accepts a connection and the admin API answers.
 * Stop = SIGTERM to the beam pid (Erlang shuts down cleanly), then wait for the wrapper; SIGKILL to the
 * whole process group after a grace period.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { closeSync, existsSync, openSync } from "node:fs";
import { readFile, rename, rm } from "node:fs/promises";
import { delimiter, join } from "node:path";
import { isPortOpen } from "../xmpp-server/loopback.ts";
import { PortInUseError, XmppServerNotInstalledError } from "../xmpp-server/types.ts";

/** Debian installs ejabberdctl in /usr/sbin, which is not on every user's PATH. */
export function ejabberdctl(): string {
  const dirs = [...(process.env.PATH ?? "").split(delimiter), "/usr/sbin", "/usr/local/sbin"];
  const found = dirs.map((d) => join(d, "ejabberdctl")).find((p) => existsSync(p));
  if (!found) throw new XmppServerNotInstalledError("ejabberd");
  return found;
}

export interface InstancePaths {
  /** --config-dir: holds ejabberd.yml, ejabberdctl.cfg, inetrc */
  configDir: string;
  spool: string;
  logs: string;
  node: string;
  pidFile: string;
}

export function ctlArgs(p: InstancePaths): string[] {
  return [
    "--config-dir",
    p.configDir,
    "--ctl-config",
    join(p.configDir, "ejabberdctl.cfg"),
    "--config",
    join(p.configDir, "ejabberd.yml"),
    "--spool",
    p.spool,
    "--logs",
    p.logs,
    "--node",
    p.node,
  ];
}

// Servers still running when the process exits (a crashed test) are killed, not orphaned.
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) killGroup(child, "SIGKILL");
});

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface LaunchOptions {
  paths: InstancePaths;
  port: number;
  /** More listeners that must accept connections before the server counts as ready (direct TLS, API). */
  alsoPorts: number[];
  apiPort: number;
  readyTimeoutMs?: number;
}

export interface RunningEjabberd {
  wrapper: ChildProcess;
  /** The beam.smp pid (from EJABBERD_PID_PATH): the one SIGTERM / SIGSTOP go to. */
  beamPid: number;
}

export async function launchEjabberd(o: LaunchOptions): Promise<RunningEjabberd> {
  const ctl = ejabberdctl();
  if (await isPortOpen(o.port)) throw new PortInUseError(o.port);
  const logFile = join(o.paths.logs, "ejabberd.log");
  await rename(logFile, `${logFile}.prev`).catch(() => undefined);
  // a restart must not read the previous beam's pid
  await rm(o.paths.pidFile, { force: true });
  const stdoutFile = join(o.paths.logs, "ejabberd.stdout");
  const out = openSync(stdoutFile, "a");
  // detached: its own process group, so a last-resort SIGKILL reaches the wrapper, erl and beam at once
  const wrapper = spawn(ctl, [...ctlArgs(o.paths), "foreground"], {
    stdio: ["ignore", out, out],
    detached: true,
  });
  closeSync(out);
  running.add(wrapper);
  let exited = false;
  wrapper.once("exit", () => {
    exited = true;
    running.delete(wrapper);
  });
  const ready = `Start accepting TCP connections at 127.0.0.1:${o.port} for ejabberd_c2s`;
  const deadline = Date.now() + (o.readyTimeoutMs ?? 30_000);
  while (Date.now() < deadline) {
    const log = await readFile(logFile, "utf8").catch(() => "");
    if (log.includes(ready) && existsSync(o.paths.pidFile) && (await isPortOpen(o.port))) {
      const others = await Promise.all(o.alsoPorts.map(isPortOpen));
      if (others.every(Boolean) && (await apiAnswers(o.apiPort))) {
        const beamPid = Number((await readFile(o.paths.pidFile, "utf8")).trim());
        return { wrapper, beamPid };
      }
    }
    if (/eaddrinuse/i.test(log)) {
      await stopEjabberd({ wrapper, beamPid: 0 });
      throw new PortInUseError(o.port);
    }
    if (exited) {
      const stdout = await readFile(stdoutFile, "utf8").catch(() => "");
      throw new Error(
        `ejabberd exited during start-up (see ${o.paths.logs}):\n${stdout.slice(-4000)}`.trim(),
      );
    }
    await sleep(50);
  }
  await stopEjabberd({ wrapper, beamPid: 0 });
  throw new Error(`ejabberd did not become ready on port ${o.port} within the time limit (see ${logFile})`);
}

async function apiAnswers(apiPort: number): Promise<boolean> {
  try {
    const response = await fetch(`http://127.0.0.1:${apiPort}/api/status`, { method: "POST", body: "{}" });
    await response.text();
    return response.ok;
  } catch {
    return false;
  }
}

/** SIGTERM to the beam (ejabberd's own clean shutdown, ~2.5 s), SIGKILL to the group after `graceMs`. */
export async function stopEjabberd(e: RunningEjabberd, graceMs = 10_000): Promise<void> {
  const { wrapper } = e;
  if (wrapper.exitCode !== null || wrapper.signalCode !== null) return;
  killGroup(wrapper, "SIGCONT"); // a frozen server cannot act on SIGTERM
  const exited = new Promise<void>((resolve) => wrapper.once("exit", () => resolve()));
  if (e.beamPid > 0) {
    try {
      process.kill(e.beamPid, "SIGTERM");
    } catch {
      killGroup(wrapper, "SIGTERM");
    }
  } else killGroup(wrapper, "SIGTERM");
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), graceMs);
  });
  const killed = await Promise.race([exited.then(() => false), grace]).finally(() => clearTimeout(timer));
  if (killed) {
    killGroup(wrapper, "SIGKILL");
    await exited;
  }
}

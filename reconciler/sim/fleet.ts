/**
 * A fleet of simulated switches in one process, one XMPP client each. Logins are staggered (a bounded
 * number at a time) so hundreds of switches do not stampede the server.
 */
import type { Fault } from "./faults.ts";
import { type SimServer, SimSwitch, type SimSwitchSpec } from "./switch.ts";

export interface SimFabricOptions {
  server: SimServer;
  switches: SimSwitchSpec[];
  /** Bare JIDs the switches accept commands from (the reconciler and operators), unless a spec says. */
  authorizedJids?: string[];
  /** Logins in progress at once (default 16). */
  loginConcurrency?: number;
}

export interface SimFleet {
  switches: Map<string, SimSwitch>;
  /** The switch named `name`; throws for an unknown name. */
  get(name: string): SimSwitch;
  /** Faults for several switches at once (from parseFaultSpec). */
  setFaults(faults: Map<string, Fault[]>): Promise<void>;
  stop(): Promise<void>;
}

export async function startSimulatedFabric(options: SimFabricOptions): Promise<SimFleet> {
  const switches = new Map<string, SimSwitch>();
  for (const spec of options.switches) {
    switches.set(spec.name, new SimSwitch(spec, options.server, options.authorizedJids ?? []));
  }
  const fleet: SimFleet = {
    switches,
    get(name) {
      const sw = switches.get(name);
      if (!sw) throw new Error(`no simulated switch named ${name}`);
      return sw;
    },
    async setFaults(faults) {
      for (const [name, list] of faults) await fleet.get(name).setFaults(list);
    },
    async stop() {
      await Promise.all([...switches.values()].map((s) => s.stop().finally(() => s.dispose())));
    },
  };
  const queue = [...switches.values()];
  const worker = async () => {
    for (let sw = queue.shift(); sw; sw = queue.shift()) await startRetrying(sw);
  };
  try {
    await Promise.all(Array.from({ length: options.loginConcurrency ?? 16 }, worker));
  } catch (error) {
    await fleet.stop();
    throw error;
  }
  return fleet;
}

/**
 * A switch whose login fails for a connection reason (a busy server that did not open the stream in
 * time) tries again, as a real switch does; a refusal (bad password, untrusted certificate) fails at once.
 */
async function startRetrying(sw: SimSwitch, attempts = 6): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await sw.start();
      return;
    } catch (error) {
      if ((error as { code?: string }).code !== "connect-failed" || attempt >= attempts) throw error;
      await new Promise((r) => setTimeout(r, 500 * attempt));
    }
  }
}

/**
 * One shard of the simulated fleet for bench/scale.ts, in its own process (one Node process cannot
 * hold 2,000 TLS clients and their CLIs next to everything else on 2 cores). Driven over IPC:
 *   parent → { type: "start", server, switches, authorizedJids, groupReplies }   → { type: "ready" }
 *   parent → { type: "reset" } (back to the starting running configs, sessions dropped) → { type: "reset-done" }
 *   parent → { type: "stop" }                                                    → exits
 */
import {
  type SimFleet,
  type SimServer,
  type SimSwitchSpec,
  startSimulatedFabric,
} from "../reconciler/sim/index.ts";

type Command =
  | {
      type: "start";
      server: SimServer;
      switches: SimSwitchSpec[];
      authorizedJids: string[];
      groupReplies: "room" | "sender";
    }
  | { type: "reset" }
  | { type: "stop" };

let fleet: SimFleet | undefined;
let initial = new Map<string, string>();
const reply = (message: object) => process.send?.(message);

process.on("message", async (command: Command) => {
  try {
    if (command.type === "start") {
      initial = new Map(command.switches.map((s) => [s.name, s.runningConfig]));
      const started = performance.now();
      fleet = await startSimulatedFabric({
        server: command.server,
        switches: command.switches.map((s) => ({ ...s, groupReplies: command.groupReplies })),
        authorizedJids: command.authorizedJids,
        // Logins wait mostly on round trips, not CPU: more at once fill the wait (the server's accept
        // backlog, 128 for Prosody, bounds the total over all shards).
        loginConcurrency: 24,
      });
      reply({ type: "ready", switches: fleet.switches.size, ms: Math.round(performance.now() - started) });
    } else if (command.type === "reset") {
      for (const sw of fleet?.switches.values() ?? []) {
        for (const name of [...sw.store.sessions.keys()]) sw.store.abort(name);
        sw.setRunningConfig(initial.get(sw.name) ?? "");
      }
      reply({ type: "reset-done" });
    } else if (command.type === "stop") {
      await fleet?.stop();
      process.exit(0);
    }
  } catch (error) {
    reply({ type: "error", message: (error as Error).message });
  }
});

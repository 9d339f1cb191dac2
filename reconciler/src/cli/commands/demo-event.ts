import { join } from "node:path";
import type { CliContext } from "../context.ts";

/**
 * The demo's event step: leaf3 logs an unexpected TCP MD5 connection from a new spine; the intake
 * (the same one `serve` runs) turns it into a branch of the demo repo with the neighbor added. The
 * demo has no GitHub, so the branch is where the PR would start. Returns the branch, or why not.
 */
export async function demoEvent(
  repo: string,
  stateDir: string,
  ctx: CliContext,
): Promise<{ branch?: string; outcome: string }> {
  const { pino } = await import("pino");
  const { createEventIntake, fileEventAudit, gitRepoWriter, startSyslogListener } = await import(
    "../../events/index.ts"
  );
  const { loadFabric } = await import("../../fabric/index.ts");
  const { formatSyslog, sendSyslog } = await import("../../../sim/index.ts");
  const loaded = await loadFabric(repo);
  if (!loaded.ok) return { outcome: "the demo repo is invalid" };
  // On the lab's loopback, leaf3 sends from an address of its own, as git names it for the demo.
  const leaf3 = loaded.fabric.devices.leaf3;
  if (!leaf3) return { outcome: "the demo fabric has no leaf3" };
  leaf3.managementAddress = "127.0.0.13";
  const decided = new Promise<{ branch?: string; outcome: string }>((done) => {
    const intake = createEventIntake({
      fabric: () => loaded.fabric,
      writer: gitRepoWriter({
        source: repo,
        branch: "main",
        workDir: join(stateDir, "events-clone"),
        author: { name: "fabric reconciler", email: "reconciler@localhost" },
      }),
      audit: fileEventAudit(join(stateDir, "events.jsonl")),
      logger: pino({ level: "silent" }),
      requestApply: () => undefined,
      count: () => undefined,
      onRecord: (record) => {
        ctx.stdout(`  ${record.outcome}: ${record.summary ?? record.detail ?? ""}\n`);
        done({ branch: record.branch, outcome: record.outcome });
      },
    });
    void startSyslogListener({
      udp: { host: "127.0.0.1", port: 0 },
      onMessage: (message) => intake.receive(message),
      onFault: () => undefined,
    }).then(async (listener) => {
      const message = "tcp_auth_ok: Packet from 10.0.3.0:60042 unexpectedly has MD5 digest";
      ctx.stdout(`  leaf3 (127.0.0.13) → syslog: ${message}\n`);
      await sendSyslog(
        { transport: "udp", host: "127.0.0.1", port: listener.addresses.udp!.port, from: "127.0.0.13" },
        [formatSyslog({ host: "leaf3", app: "Bgp", message })],
      );
      await decided;
      await intake.idle();
      await listener.close();
    });
  });
  return decided;
}

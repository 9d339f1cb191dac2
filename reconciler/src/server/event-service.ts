import { readFile } from "node:fs/promises";
import type { Logger } from "pino";
import {
  createEventIntake,
  type EventAudit,
  type EventIntake,
  type RepoWriter,
  type SyslogListener,
  startSyslogListener,
} from "../events/index.ts";
import type { Fabric } from "../fabric/types.ts";
import type { GithubReporter } from "../github/index.ts";
import type { FabricStatus } from "../status/index.ts";
import type { EventsServiceConfig } from "./events-config.ts";
import type { ServiceMetrics } from "./metrics.ts";
import type { RunQueue } from "./run-queue.ts";

export interface EventServiceOptions {
  config: EventsServiceConfig;
  /** The tracked branch head's fabric (git objects, never a working tree), or undefined while invalid. */
  trustedFabric(): Promise<{ sha: string; fabric: Fabric } | undefined>;
  headOf(): Promise<string>;
  writer: RepoWriter;
  audit: EventAudit;
  github: Pick<GithubReporter, "openPullRequest">;
  queue: Pick<RunQueue, "request">;
  metrics: ServiceMetrics;
  status: FabricStatus;
  logger: Logger;
  /** How often the tracked head is checked for new rules and switches; default 30 s. */
  refreshMs?: number;
}

export interface EventService {
  listener: SyslogListener;
  intake: EventIntake;
  /** Reloads the trusted fabric when the tracked head moved (also on the timer). */
  refresh(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Switch syslog → event intake, composed for `serve`: the rules and the switches' addresses come from
 * the tracked branch head only (a PR cannot add a rule or claim an address), reloaded when it moves.
 */
export async function startEventService(options: EventServiceOptions): Promise<EventService> {
  const { logger, metrics } = options;
  let current: { sha: string; fabric: Fabric } | undefined;
  const refresh = async () => {
    try {
      const head = await options.headOf();
      if (current?.sha === head) return;
      current = await options.trustedFabric();
      if (!current)
        logger.warn(
          { head },
          "events: the tracked branch's desired state is invalid; events are ignored until it is valid",
        );
    } catch (error) {
      logger.error({ err: error }, "events: cannot read the tracked branch; keeping the rules loaded before");
    }
  };
  await refresh();
  const ruleLabel = (rule: string | undefined) =>
    rule && current?.fabric.events.rules.some((r) => r.name === rule) ? rule : "none";
  const intake = createEventIntake({
    fabric: () => current?.fabric,
    writer: options.writer,
    audit: options.audit,
    logger: logger.child({ component: "events" }),
    ...(options.github.openPullRequest
      ? {
          openPullRequest: (pr: { branch: string; title: string; body: string }) =>
            options.github.openPullRequest!(pr),
        }
      : {}),
    requestApply: (sha) => void options.queue.request({ kind: "apply", trigger: "event", sha }),
    count: (rule, outcome) => metrics.events.inc({ rule: ruleLabel(rule), outcome }),
    onRecord: (record) => options.status.observeSwitchEvent(record),
  });
  const { syslog } = options.config;
  const tls = syslog.tls
    ? {
        host: syslog.tls.host,
        port: syslog.tls.port,
        cert: await readFile(syslog.tls.certFile, "utf8"),
        key: await readFile(syslog.tls.keyFile, "utf8"),
        ca: await readFile(syslog.tls.caFile, "utf8"),
      }
    : undefined;
  const listener = await startSyslogListener({
    ...(syslog.udp ? { udp: syslog.udp } : {}),
    ...(syslog.tcp ? { tcp: syslog.tcp } : {}),
    ...(tls ? { tls } : {}),
    onMessage: (message) => intake.receive(message),
    onFault: (fault) => {
      metrics.syslogFaults.inc({ transport: fault.transport });
      logger.warn({ fault }, `syslog: ${fault.reason}`);
    },
  });
  logger.info({ addresses: listener.addresses }, "events: listening for switch syslog");
  const timer = setInterval(() => void refresh(), options.refreshMs ?? 30_000);
  timer.unref();
  return {
    listener,
    intake,
    refresh,
    async close() {
      clearInterval(timer);
      await listener.close();
      await intake.idle();
    },
  };
}

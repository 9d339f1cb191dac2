import { Counter, Gauge, Histogram, Registry } from "prom-client";

/** The X-GitHub-Event values counted by name; any other (or a forged one) is counted as "other". */
const WEBHOOK_EVENTS = new Set([
  "ping",
  "push",
  "pull_request",
  "pull_request_review",
  "pull_request_review_comment",
  "issue_comment",
  "check_run",
  "check_suite",
  "status",
  "installation",
  "installation_repositories",
]);

/**
 * A metric label from an unauthenticated header: one of a fixed set, so a forged header can never
 * create a new series (each series costs memory for the life of the process).
 */
export function webhookEventLabel(event: string | undefined): string {
  if (event === undefined || event === "") return "none";
  return WEBHOOK_EVENTS.has(event) ? event : "other";
}

/** The service's Prometheus metrics, on a registry of its own (no global state, one per service). */
export interface ServiceMetrics {
  registry: Registry;
  runs: Counter<"kind" | "trigger" | "outcome">;
  runDuration: Histogram<"kind">;
  switchesInDrift: Gauge;
  lastSuccessfulApply: Gauge;
  xmppConnected: Gauge;
  webhookDeliveries: Counter<"event" | "result">;
  githubErrors: Counter<"operation" | "status">;
  /** Faults that reached the last-resort handlers (last-resort.ts): each one is a bug to fix. */
  faults: Counter<"kind">;
  /** Switch events by rule (a rule of the trusted fabric, or "none") and outcome (a fixed set). */
  events: Counter<"rule" | "outcome">;
  /** Syslog frames or connections that could not be read, by transport. */
  syslogFaults: Counter<"transport">;
}

/**
 * `xmppState` reports the transport's live connection state when the runner exposes one; without
 * it the gauge says whether the last run could reach the XMPP server.
 */
export function createServiceMetrics(xmppState?: () => boolean): ServiceMetrics {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    runs: new Counter({
      name: "reconciler_runs_total",
      help: "Runs by kind (plan, apply, drift), trigger and outcome",
      labelNames: ["kind", "trigger", "outcome"],
      registers,
    }),
    runDuration: new Histogram({
      name: "reconciler_run_duration_seconds",
      help: "Run duration by kind",
      labelNames: ["kind"],
      buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 600, 1800],
      registers,
    }),
    switchesInDrift: new Gauge({
      name: "reconciler_switches_in_drift",
      help: "Switches whose managed config differed from the desired state at the last drift check",
      registers,
    }),
    lastSuccessfulApply: new Gauge({
      name: "reconciler_last_successful_apply_timestamp_seconds",
      help: "Unix time of the last apply that succeeded (or found nothing to do)",
      registers,
    }),
    xmppConnected: new Gauge({
      name: "reconciler_xmpp_connected",
      help: "1 when the XMPP server is reachable (live state, or as of the last run)",
      registers,
      ...(xmppState
        ? {
            collect(this: Gauge) {
              this.set(xmppState() ? 1 : 0);
            },
          }
        : {}),
    }),
    webhookDeliveries: new Counter({
      name: "reconciler_webhook_deliveries_total",
      help: "Webhook deliveries by event and what was done with them",
      labelNames: ["event", "result"],
      registers,
    }),
    githubErrors: new Counter({
      name: "reconciler_github_errors_total",
      help: "GitHub API calls that failed after octokit's retries, by operation and HTTP status",
      labelNames: ["operation", "status"],
      registers,
    }),
    faults: new Counter({
      name: "reconciler_unhandled_faults_total",
      help: "Errors no handler caught (unhandled rejections, uncaught exceptions); the service kept serving",
      labelNames: ["kind"],
      registers,
    }),
    events: new Counter({
      name: "reconciler_events_total",
      help: "Switch events by event rule and what became of them (ignored, duplicate, rate-limited, refused, proposed, applied, failed)",
      labelNames: ["rule", "outcome"],
      registers,
    }),
    syslogFaults: new Counter({
      name: "reconciler_syslog_faults_total",
      help: "Syslog frames or connections that could not be read, by transport",
      labelNames: ["transport"],
      registers,
    }),
  };
}

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";
import type { EpisodeStore, ProposalBranch } from "../drift-proposal/index.ts";
import type { DriftSettings } from "../fabric/types.ts";
import type { GithubReporter, ProposalPulls, PullRequestReader } from "../github/index.ts";
import type { FabricHold, WorkflowSettings } from "../pr-workflow/index.ts";
import type { FabricRunner } from "../reconcile/types.ts";
import { createFabricStatus, type FabricStatus } from "../status/index.ts";
import { createPullRequestWorkflow } from "./command-jobs.ts";
import { createDriftProposals } from "./drift-proposals.ts";
import { createJobExecutor } from "./jobs.ts";
import { createServiceMetrics, type ServiceMetrics } from "./metrics.ts";
import { type Poller, startPoller } from "./poller.ts";
import { type RecentRuns, recentRuns } from "./recent-runs.ts";
import { createRunQueue, type Job, type RunQueue } from "./run-queue.ts";
import { type DriftSchedule, startDriftSchedule } from "./scheduler.ts";
import { createStatusRoutes } from "./status-routes.ts";
import { createWebhookHandler, type WebhookOptions } from "./webhook.ts";

/** Everything the service needs, resolved: the composition root (cli serve) builds it. */
export interface ResolvedServiceConfig {
  listen: { host: string; port: number };
  /** "owner/name" and tracked branch. */
  repo: string;
  branch: string;
  webhookPath: string;
  /** Bounds on unauthenticated webhook requests (size, concurrent reads); defaults in webhook.ts. */
  webhookLimits?: Pick<
    WebhookOptions,
    "maxBodyBytes" | "concurrentReads" | "waitingReads" | "readWaitMs" | "readTimeoutMs"
  >;
  /** Public address of the status page; default: the address the service listens on. */
  publicUrl?: string;
  /** 0: no poller. */
  pollIntervalMs: number;
  /** Undefined: no scheduled drift checks. */
  drift?: DriftSettings;
  shutdownGraceMs: number;
}

export interface StartServiceOptions {
  runner: FabricRunner;
  github: GithubReporter;
  config: ResolvedServiceConfig;
  logger: Logger;
  /** Without one, POST /webhook answers 404 and only the poller and the schedule trigger runs. */
  webhookSecret?: string;
  /** The tracked branch head after a fetch: the poller and apply use it. */
  headOf?: () => Promise<string>;
  /**
   * Whether the tracked branch's commit `head` has `sha` in its history (git): a push of the holding
   * PR's merge releases the hold and is applied, whichever of it and the `closed` event comes first.
   */
  contains?: (head: string, sha: string) => Promise<boolean>;
  /** Live XMPP connection state, when the runner keeps a session open. */
  xmppState?: () => boolean;
  /** The fabric's picture for the status pages; the composition root feeds it the runner's events too. */
  status?: FabricStatus;
  /** Called after every run with the picture to keep (the state dir's status.json). */
  saveStatus?: (status: FabricStatus) => Promise<void>;
  /** The process's one redaction step: every page and API answer passes it (the logger has its own). */
  redact?: (text: string) => string;
  /**
   * The PR workflow (comment commands, apply requirements, the fabric hold). Needs GitHub: without it
   * `issue_comment` deliveries are ignored.
   */
  pullRequests?: {
    reader: PullRequestReader;
    hold: FabricHold;
    /** fabric.yaml's github workflow settings at the tracked branch head. */
    settings: () => Promise<WorkflowSettings>;
    /** Our login, whose comments are never commands. */
    commentAuthor?: string;
  };
  /** drift.propose: each drift episode becomes a PR adopting the live config (needs `headOf`). */
  driftProposals?: {
    pulls: ProposalPulls;
    branch: ProposalBranch;
    episodes: EpisodeStore;
    redact: (text: string) => string;
  };
}

export interface RunningService {
  url: string;
  queue: RunQueue;
  metrics: ServiceMetrics;
  /** What the status page shows. */
  recent: RecentRuns;
  status: FabricStatus;
  poller?: Poller;
  /** What a cron tick does: request a drift check (healing where the fabric allows). */
  requestDriftCheck(): void;
  /** Graceful stop: no new work, the current run finishes or is abandoned after the grace time. */
  close(): Promise<"idle" | "finished" | "abandoned">;
}

/**
 * `reconciler serve`: webhooks, poller and drift schedule feed one run queue; a status page of recent
 * runs at /, /healthz and /metrics.
 */
export async function startService(options: StartServiceOptions): Promise<RunningService> {
  const { config, logger } = options;
  const metrics = createServiceMetrics(options.xmppState);
  const recent = recentRuns();
  const status = options.status ?? createFabricStatus({ repo: config.repo, branch: config.branch });
  const statusRoutes = createStatusRoutes({ status, recent, redact: options.redact });
  // The page address is known only once listening (port 0 in tests): read it when a run reports.
  let publicUrl = config.publicUrl;
  let queue: RunQueue | undefined;
  const request = (job: Job) => queue?.request(job) ?? "closed";
  const proposals =
    options.driftProposals && options.headOf
      ? createDriftProposals({
          ...options.driftProposals,
          baseBranch: config.branch,
          headOf: options.headOf,
          selfHeal: config.drift?.selfHeal ?? false,
          permissionOf: async (login) => (await options.pullRequests?.reader.permissionOf(login)) ?? "none",
          request,
        })
      : undefined;
  const workflow = options.pullRequests
    ? createPullRequestWorkflow({
        runner: options.runner,
        github: options.github,
        pulls: options.pullRequests.reader,
        hold: options.pullRequests.hold,
        settings: options.pullRequests.settings,
        branch: config.branch,
        headOf: options.headOf,
        contains: options.contains,
        request,
        heal: proposals?.heal,
      })
    : undefined;
  if (options.pullRequests) {
    // The hold file is the truth after a restart; status.json may be older than it.
    try {
      status.observeHold(await options.pullRequests.hold.current());
    } catch (error) {
      logger.error({ err: error }, "cannot read the fabric hold: every apply refuses until it is fixed");
    }
  }
  const execute = createJobExecutor({
    workflow,
    branch: config.branch,
    proposals,
    runner: options.runner,
    github: options.github,
    metrics,
    logger,
    headOf: options.headOf,
    recent,
    status,
    saveStatus: options.saveStatus,
    get publicUrl() {
      return publicUrl;
    },
    statusesLinkToPage: config.publicUrl !== undefined,
  });
  queue = createRunQueue(execute, (job, error) => logger.error({ job, err: error }, "run failed"));
  const requestDriftCheck = () => {
    const result = queue.request({
      kind: "drift",
      trigger: "schedule",
      heal: config.drift?.selfHeal ?? false,
    });
    logger.info({ result }, `drift check ${result}`);
  };

  const webhook = options.webhookSecret
    ? createWebhookHandler({
        secret: options.webhookSecret,
        repo: config.repo,
        branch: config.branch,
        queue,
        metrics,
        logger,
        ...config.webhookLimits,
        pullRequestWorkflow: workflow !== undefined || proposals !== undefined,
        commentAuthor: options.pullRequests?.commentAuthor,
        onPullRequestClosed: (pullNumber) => {
          status.pullClosed(pullNumber);
          void options.saveStatus?.(status).catch(() => undefined);
        },
      })
    : undefined;
  if (!webhook)
    logger.warn("no webhook secret set: POST webhooks are refused; runs come from the poller and schedule");

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = new URL(req.url ?? "/", "http://service").pathname;
    if (path === config.webhookPath && webhook) {
      if (req.method !== "POST") return void res.writeHead(405, { allow: "POST" }).end();
      return webhook(req, res);
    }
    if (req.method !== "GET") return void res.writeHead(404).end();
    if (path === "/healthz") {
      const current = queue.current();
      res.writeHead(200, { "content-type": "application/json" });
      return void res.end(JSON.stringify({ status: "ok", running: current ? current.kind : null }));
    }
    if (statusRoutes(req, res, new URL(req.url ?? "/", "http://service"))) return;
    if (path === "/metrics") {
      const text = await metrics.registry.metrics();
      res.writeHead(200, { "content-type": metrics.registry.contentType });
      return void res.end(text);
    }
    res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not found" }));
  };
  const server: Server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      logger.error({ err: error, url: req.url }, "http handler failed");
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.listen.port, config.listen.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === "IPv6" ? `[${address.address}]` : address.address}:${address.port}`;
  publicUrl ??= url;

  let schedule: DriftSchedule | undefined;
  let poller: Poller | undefined;
  try {
    if (config.drift?.schedule) {
      schedule = startDriftSchedule({ schedule: config.drift.schedule, onTick: requestDriftCheck, logger });
    }
    if (config.pollIntervalMs > 0 && options.headOf) {
      const headOf = options.headOf;
      poller = startPoller({
        headOf,
        intervalMs: config.pollIntervalMs,
        onHead: (sha) => {
          const result = queue.request({ kind: "apply", trigger: "poll", sha });
          logger.info({ sha, result }, `poll: apply ${result}`);
        },
        logger,
      });
      void poller.poll();
    }
  } catch (error) {
    server.close();
    throw error;
  }
  logger.info({ url, repo: config.repo, branch: config.branch }, "service listening");

  return {
    url,
    queue,
    metrics,
    recent,
    status,
    poller,
    requestDriftCheck,
    async close() {
      logger.info("shutting down: no new runs");
      poller?.stop();
      await schedule?.stop();
      const closing = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const result = await queue.close(config.shutdownGraceMs);
      if (result === "abandoned") {
        logger.warn(
          { current: queue.current() },
          "shutdown: the current run was abandoned; commit timers roll back what it did not confirm",
        );
      }
      server.closeAllConnections();
      await closing;
      logger.info({ result }, "service stopped");
      return result;
    },
  };
}

import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Logger } from "pino";
import type { DriftSettings, GithubSettings } from "../../fabric/types.ts";
import type { GithubAuth, GithubClient, GithubReporter } from "../../github/index.ts";
import type { RunnerEvent } from "../../reconcile/index.ts";
import type { FabricRunner } from "../../reconcile/types.ts";
import type { EventServiceOptions } from "../../server/event-service.ts";
import type { RunningService, ServiceConfig, StartServiceOptions } from "../../server/index.ts";
import type { FabricStatus } from "../../status/index.ts";
import type { CliContext, RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";

/** What the service runs against: the runner, the tracked branch head, and the fabric's settings. */
export interface ServiceBackend {
  runner: FabricRunner;
  /** The branch head after a fetch (poller, and apply of the newest revision). */
  headOf: (branch: string) => Promise<string>;
  /** Whether commit `head` has `sha` in its history (a holding PR's merge releases its hold). */
  contains?: (head: string, sha: string) => Promise<boolean>;
  /** The fabric's drift and github settings at the branch head, when the desired state is valid. */
  fabricSettings: (branch: string) => Promise<{ drift?: DriftSettings; github?: GithubSettings } | undefined>;
  /** Where the status page's picture of the fabric is kept across restarts. */
  statusFile?: string;
  /** Where a PR's hold on the fabric is kept across restarts (pr-workflow). */
  holdFile?: string;
  /** Where the open drift proposal is remembered, and the repo its branches are pushed to. */
  proposals?: { episodeFile: string; pushTo: string };
  /** What switch events need (config `events:`): the tracked head's fabric, a writer, the audit. */
  events?: () => Promise<Pick<EventServiceOptions, "trustedFabric" | "writer" | "audit">>;
}

export type ServiceBackendFactory = (
  config: ServiceConfig,
  ctx: CliContext,
  /** The runner's events, for the live status page. */
  observe?: (event: RunnerEvent) => void,
) => ServiceBackend | Promise<ServiceBackend>;

export interface ServeDeps {
  /** Builds the real FabricRunner (git source, journal, lock, XMPP); tests inject their own. */
  createBackend: ServiceBackendFactory;
  /** Calls `stop` on SIGTERM/SIGINT; tests stop the service themselves. */
  onStopSignal: (stop: () => void) => void;
  /** Called once the service listens (tests read its address). */
  onListening?: (service: RunningService) => void;
  /** Where the last-resort handlers listen (default: the process); tests pass their own emitter. */
  processEvents?: NodeJS.EventEmitter;
}

/** The production backend: the same composition as `plan`/`apply`/`drift`, on a persistent state dir. */
export const realBackend: ServiceBackendFactory = async (config, ctx, observe) => {
  const { composeRunner, stateFor } = await import("../compose-runner.ts");
  const { gitSource } = await import("../../source/index.ts");
  const { loadFabric } = await import("../../fabric/index.ts");
  const { styleFor } = await import("../../report/text.ts");
  const options = {
    branch: config.github.branch ?? "main",
    stateDir: config.stateDir,
    secretsDir: config.secretsDir,
    // The service keeps the hold and decides about it (hold-jobs.ts); its runner is not gated by it.
    ownsHold: true,
  };
  const { runner } = composeRunner(config.repo, options, ctx, styleFor(false), observe);
  const state = stateFor(config.repo, options, ctx);
  // Its own clone cache, so a poll never contends with a run for the same git locks.
  const repo = existsSync(config.repo) ? resolve(ctx.cwd, config.repo) : config.repo;
  const source = gitSource({ source: repo, cacheDir: join(state.dir, "poll-cache"), branch: options.branch });
  return {
    runner,
    statusFile: join(state.dir, "status.json"),
    holdFile: state.holdFile,
    proposals: {
      episodeFile: join(state.dir, "drift-proposal.json"),
      pushTo: existsSync(config.repo) ? resolve(ctx.cwd, config.repo) : config.repo,
    },
    headOf: (branch) => source.headOf(branch),
    contains: (head, sha) => source.contains(head, sha),
    async fabricSettings(branch) {
      const desired = await source.checkout(branch);
      try {
        const loaded = await loadFabric(desired.dir);
        return loaded.ok ? { drift: loaded.fabric.drift, github: loaded.fabric.github } : undefined;
      } finally {
        await desired.dispose();
      }
    },
    async events() {
      const { fileEventAudit, gitRepoWriter } = await import("../../events/index.ts");
      return {
        // The trust boundary: rules and addresses from the tracked head's git objects only.
        async trustedFabric() {
          const desired = await source.trusted();
          try {
            const loaded = await loadFabric(desired.dir);
            return loaded.ok ? { sha: desired.revision.sha, fabric: loaded.fabric } : undefined;
          } finally {
            await desired.dispose();
          }
        },
        writer: gitRepoWriter({
          source: repo,
          branch: options.branch,
          workDir: join(state.dir, "events-clone"),
          author: { name: "fabric reconciler", email: "reconciler@localhost" },
        }),
        audit: fileEventAudit(join(state.dir, "events.jsonl")),
      };
    },
  };
};

const processStopSignal = (stop: () => void) => {
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
};

const ENV_HELP = `
Config file (YAML, no secrets): repo, stateDir, secretsDir, listen {host, port}, publicUrl, github {repo, branch,
driftIssueTitle, apiUrl, commentAuthor}, webhook {path, maxBodyBytes}, poll {intervalSeconds}, drift {schedule,
selfHeal}, shutdownGraceSeconds. Missing github and drift settings come from fabric.yaml.

Secrets, from the environment only (each NAME may instead be NAME_FILE, a file holding it):
  RECONCILER_WEBHOOK_SECRET   the webhook's secret (without it, only the poller and schedule run)
  GITHUB_TOKEN                a token with contents:read, pull-requests:write, issues:write, statuses:write
                              (without GitHub credentials the service runs without GitHub, with a warning)
  GITHUB_APP_ID, GITHUB_APP_INSTALLATION_ID, GITHUB_APP_PRIVATE_KEY   or a GitHub App installation
  LOG_LEVEL                   pino level (default info)
  RECONCILER_SECRETS_DIR      where file:NAME secret references start (or secretsDir in the config file)
The XMPP settings (RECONCILER_XMPP_*) apply as for plan and apply. Every run connects with the
tracked branch head's xmpp settings, whatever revision it plans.`;

export function serveCommand(deps: Partial<ServeDeps> = {}): RegisterCommand {
  const createBackend = deps.createBackend ?? realBackend;
  const onStopSignal = deps.onStopSignal ?? processStopSignal;
  return (program, ctx) => {
    program
      .command("serve")
      .description("run the service: GitHub webhooks, poller, drift schedule, /healthz and /metrics")
      .requiredOption("-c, --config <file>", "service config file (YAML)")
      .addHelpText("after", ENV_HELP)
      .action(async (options: { config: string }) => {
        const fail = (lines: string[]) => {
          for (const line of lines) ctx.stderr(`reconciler serve: ${line}\n`);
          ctx.exitCode = ExitCode.invalidInput;
        };
        // The service's own modules load only when it runs, so other commands start without them.
        const { pino } = await import("pino");
        const { parseServiceConfig, readServiceSecrets, startService } = await import(
          "../../server/index.ts"
        );
        const { installLastResortHandlers } = await import("../../server/last-resort.ts");
        const { createRedactor, secretsOfEnvironment } = await import("../../redaction/index.ts");
        const { readSavedStatus, writeSavedStatus } = await import("../../server/status-file.ts");
        const { createFabricStatus } = await import("../../status/index.ts");
        const file = resolve(ctx.cwd, options.config);
        const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
          fail([
            `cannot read ${options.config} (${error.code ?? error.message}); pass an existing --config file`,
          ]);
          return undefined;
        });
        if (text === undefined) return;
        const parsed = parseServiceConfig(text, options.config);
        if (!parsed.ok) return fail(parsed.errors);
        const secrets = readServiceSecrets(ctx.env);
        if (!secrets.ok) return fail(secrets.errors);
        const config = parsed.config;
        // The one redaction step (main installs it on stdout/stderr): it also knows the service's own
        // secrets, however they were read, and removes them from logs, comments, statuses and pages.
        const redactor = ctx.redactor ?? createRedactor(secretsOfEnvironment(ctx.env));
        const held = secrets.secrets;
        redactor.add(held.webhookSecret);
        redactor.add(held.github?.kind === "token" ? held.github.token : held.github?.privateKey);
        const redact = (text: string) => redactor.redactValues(text);
        const logger = pino(
          { level: ctx.env.LOG_LEVEL ?? "info", base: { service: "reconciler" } },
          { write: (line: string) => ctx.stdout(redact(line)) },
        );
        // From here on nothing ends the process but a stop signal: faults are logged and counted.
        let running: RunningService | undefined;
        const uninstall = installLastResortHandlers(
          logger,
          (kind) => running?.metrics.faults.inc({ kind }),
          deps.processEvents ?? process,
        );
        try {
          const auth = secrets.secrets.github;
          if (!auth) {
            logger.warn(
              "no GitHub credentials (GITHUB_TOKEN, or GITHUB_APP_ID + GITHUB_APP_INSTALLATION_ID + GITHUB_APP_PRIVATE_KEY): " +
                "running without GitHub; the drift schedule, poller, status page and metrics work, nothing is posted to GitHub",
            );
          }

          let status: FabricStatus | undefined;
          const backend = await createBackend(config, ctx, (event) => status?.observeEvent(event));
          const branch = config.github.branch ?? "main";
          const fabric = await backend.fabricSettings(branch).catch((error: unknown) => {
            logger.warn({ err: error }, "cannot read the fabric's settings; using the config file's");
            return undefined;
          });
          const repo = config.github.repo ?? fabric?.github?.repo;
          if (!repo && auth) return fail(["github.repo is not set in the config file nor in fabric.yaml"]);
          const drift = config.drift?.schedule ?? fabric?.drift?.schedule;
          // The status page's address is known once the service listens (port 0 in tests).
          let pageBase = config.publicUrl;
          const connected =
            auth && repo
              ? await githubReporterFor(config, {
                  auth,
                  repo,
                  branch: config.github.branch ?? fabric?.github?.branch ?? branch,
                  driftIssueTitle:
                    config.github.driftIssueTitle ?? fabric?.github?.driftIssueTitle ?? "Fabric drift",
                  logger,
                  redact: (text) => redactor.redact(text),
                  redactValues: redact,
                  reportUrl: (runId) =>
                    pageBase ? `${pageBase.replace(/\/$/, "")}/runs/${runId}` : undefined,
                })
              : undefined;
          const github = connected?.reporter ?? withoutGithub;
          const pullRequests =
            connected && backend.holdFile
              ? await pullRequestWorkflowFor(connected, backend, branch, logger)
              : undefined;
          const driftProposals =
            connected && backend.proposals && fabric?.drift?.propose
              ? await driftProposalsFor(connected, backend.proposals, branch)
              : undefined;
          status = createFabricStatus({
            repo: repo ?? "(no GitHub repo)",
            branch,
            saved: backend.statusFile ? await readSavedStatus(backend.statusFile, logger) : undefined,
          });
          let service: RunningService;
          try {
            service = await startService({
              runner: backend.runner,
              github,
              pullRequests,
              driftProposals,
              logger,
              webhookSecret: secrets.secrets.webhookSecret,
              headOf: () => backend.headOf(branch),
              contains: backend.contains,
              status,
              saveStatus: backend.statusFile ? (s) => writeSavedStatus(backend.statusFile!, s) : undefined,
              redact,
              config: {
                listen: config.listen,
                repo: repo ?? "(no GitHub repo)",
                branch,
                webhookPath: config.webhook.path,
                webhookLimits: { maxBodyBytes: config.webhook.maxBodyBytes },
                publicUrl: config.publicUrl,
                pollIntervalMs: config.poll.intervalSeconds * 1000,
                drift: drift
                  ? { schedule: drift, selfHeal: config.drift?.selfHeal ?? fabric?.drift?.selfHeal ?? false }
                  : undefined,
                shutdownGraceMs: config.shutdownGraceSeconds * 1000,
              },
            });
          } catch (error) {
            return fail([(error as Error).message]);
          }
          pageBase ??= service.url;
          running = service;
          let events: { close(): Promise<void> } | undefined;
          if (config.events && backend.events) {
            const { startEventService } = await import("../../server/event-service.ts");
            try {
              events = await startEventService({
                config: config.events,
                ...(await backend.events()),
                headOf: () => backend.headOf(branch),
                github,
                queue: service.queue,
                metrics: service.metrics,
                status: service.status,
                logger,
              });
            } catch (error) {
              await service.close();
              return fail([`cannot start the syslog listener: ${(error as Error).message}`]);
            }
          }
          deps.onListening?.(service);
          await new Promise<void>((stop) => onStopSignal(stop));
          await events?.close();
          const result = await service.close();
          ctx.exitCode = result === "abandoned" ? ExitCode.applyFailed : ExitCode.ok;
        } finally {
          uninstall();
        }
      });
  };
}

/** Nothing goes to GitHub (no credentials): runs, the status page and metrics work as ever. */
const withoutGithub: GithubReporter = {
  setStatus: async () => undefined,
  commentPlan: async () => undefined,
  commentApply: async () => undefined,
  reportDrift: async () => undefined,
  reply: async () => undefined,
};

/** drift.propose: proposal PRs through the reporter's client, branches pushed to the desired-state repo. */
async function driftProposalsFor(
  connected: { client: GithubClient; repo: string },
  proposals: NonNullable<ServiceBackend["proposals"]>,
  branch: string,
): Promise<NonNullable<StartServiceOptions["driftProposals"]>> {
  const { createProposalPulls } = await import("../../github/index.ts");
  const { fileEpisodes, gitProposalBranch } = await import("../../drift-proposal/index.ts");
  const { redactSecrets } = await import("../../eos/index.ts");
  return {
    pulls: createProposalPulls(connected.client, connected.repo, branch),
    branch: gitProposalBranch(proposals.pushTo),
    episodes: fileEpisodes(proposals.episodeFile),
    redact: redactSecrets,
  };
}

/** Comment commands read PRs with the reporter's client; the workflow settings come from the branch head. */
async function pullRequestWorkflowFor(
  connected: { client: GithubClient; repo: string; commentAuthor?: string },
  backend: ServiceBackend,
  branch: string,
  logger: Logger,
): Promise<NonNullable<StartServiceOptions["pullRequests"]>> {
  const { createPullRequestReader } = await import("../../github/index.ts");
  const { DEFAULT_WORKFLOW, fileHold } = await import("../../pr-workflow/index.ts");
  return {
    reader: createPullRequestReader(connected.client, connected.repo),
    hold: fileHold(backend.holdFile!),
    commentAuthor: connected.commentAuthor,
    async settings() {
      const github = (
        await backend.fabricSettings(branch).catch((error: unknown) => {
          logger.warn({ err: error }, "cannot read fabric.yaml's github settings; comment applies are off");
          return undefined;
        })
      )?.github;
      return github
        ? {
            applyBeforeMerge: github.applyBeforeMerge,
            applyRequires: github.applyRequires,
            applyPermission: github.applyPermission,
          }
        : DEFAULT_WORKFLOW;
    },
  };
}

async function githubReporterFor(
  config: ServiceConfig,
  o: {
    auth: GithubAuth;
    repo: string;
    branch: string;
    driftIssueTitle: string;
    logger: Logger;
    redact: (text: string) => string;
    redactValues: (text: string) => string;
    reportUrl: (runId: string) => string | undefined;
  },
): Promise<{ reporter: GithubReporter; client: GithubClient; repo: string; commentAuthor?: string }> {
  const { createGithubClient, createGithubReporter, resolveCommentAuthor } = await import(
    "../../github/index.ts"
  );
  const { logger } = o;
  const clientOptions = {
    auth: o.auth,
    baseUrl: config.github.apiUrl,
    log: {
      debug: (m: string) => logger.debug(m),
      info: (m: string) => logger.info(m),
      warn: (m: string) => logger.warn(m),
      error: (m: string) => logger.error(m),
    },
  };
  const client = await createGithubClient(clientOptions);
  const commentAuthor = config.github.commentAuthor ?? (await resolveCommentAuthor(clientOptions));
  if (!commentAuthor) logger.warn("github.commentAuthor unknown: comments are matched by their marker only");
  const reporter = createGithubReporter({
    client,
    repo: o.repo,
    branch: o.branch,
    driftIssueTitle: o.driftIssueTitle,
    redact: o.redact,
    redactValues: o.redactValues,
    commentAuthor,
    reportUrl: o.reportUrl,
  });
  return { reporter, client, repo: o.repo, commentAuthor };
}

export const registerServe: RegisterCommand = serveCommand();

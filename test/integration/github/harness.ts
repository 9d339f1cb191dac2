/** A service under test: fake GitHub over HTTP, the real reporter and server, an in-test FabricRunner. */

import { mkdtemp } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { Writable } from "node:stream";
import { Webhooks } from "@octokit/webhooks";
import type { WebhookDefinition } from "@octokit/webhooks-examples";
import { pino } from "pino";
import { fileEpisodes, gitProposalBranch } from "../../../reconciler/src/drift-proposal/index.ts";
import {
  createGithubClient,
  createGithubReporter,
  createProposalPulls,
  createPullRequestReader,
} from "../../../reconciler/src/github/index.ts";
import {
  DEFAULT_WORKFLOW,
  fileHold,
  type WorkflowSettings,
} from "../../../reconciler/src/pr-workflow/index.ts";
import type {
  ApplyOutcome,
  DriftOutcome,
  FabricRunner,
  PlanOutcome,
  RunRequest,
} from "../../../reconciler/src/reconcile/types.ts";
import {
  type ResolvedServiceConfig,
  type RunningService,
  startService,
} from "../../../reconciler/src/server/index.ts";
import { type FakeGithub, startFakeGithub } from "../../fakes/github/server.ts";
import { driftFor, planFor, redact, rolloutFor } from "./fixtures.ts";

export const SECRET = "test-webhook-secret";
export const REPO = "Codertocat/Hello-World";
export const BRANCH = "master";
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** A FabricRunner that records what it was asked and what it would have changed. */
export class RecordingRunner implements FabricRunner {
  calls: ({ op: "plan" | "apply" | "drift" } & Omit<RunRequest, "runId">)[] = [];
  /** The run id the service named each call with (the journal's, comments' and status page's). */
  runIds: (string | undefined)[] = [];
  /** Switches this runner changed: apply is the only operation that may. */
  switchesChanged: string[] = [];
  driftedDevices: string[] = [];
  /** Set to a promise to make apply wait (shutdown tests). */
  applyGate?: Promise<void>;
  planOutcome?: (request: RunRequest) => PlanOutcome;

  private record(op: "plan" | "apply" | "drift", { runId, ...request }: RunRequest): void {
    this.calls.push({ op, ...request });
    this.runIds.push(runId);
  }

  async plan(request: RunRequest): Promise<PlanOutcome> {
    this.record("plan", request);
    return this.planOutcome?.(request) ?? { ok: true, plan: planFor(request.rev ?? "f".repeat(40), 2) };
  }
  async apply(request: RunRequest): Promise<ApplyOutcome> {
    this.record("apply", request);
    await this.applyGate;
    const plan = planFor(request.rev ?? "f".repeat(40), 2);
    this.switchesChanged.push(...plan.devices.filter((d) => d.status === "changes").map((d) => d.device));
    return { ok: true, plan, result: rolloutFor(plan) };
  }
  async drift(request: RunRequest): Promise<DriftOutcome> {
    this.record("drift", request);
    return { ok: true, report: driftFor("e".repeat(40), this.driftedDevices) };
  }
}

export interface Harness {
  fake: FakeGithub;
  runner: RecordingRunner;
  service: RunningService;
  logs: Record<string, unknown>[];
  /** The workflow settings the service reads (as from fabric.yaml at the branch head). */
  settings: WorkflowSettings;
  holdFile: string;
  deliver(
    event: string,
    payload: unknown,
    options?: { id?: string; signature?: string; contentType?: string; raw?: string },
  ): Promise<Response>;
  close(): Promise<void>;
}

export async function startHarness(
  options: {
    config?: Partial<ResolvedServiceConfig>;
    github?: {
      retry?: { enabled?: boolean; retryAfterBaseValue?: number };
      throttle?: { enabled?: boolean; retryAfterBaseValue?: number };
    };
    headOf?: () => Promise<string>;
    /** Whether commit `head` has `sha` in its history (a real repo's git source). */
    contains?: (head: string, sha: string) => Promise<boolean>;
    /** Turns the PR workflow on with these fabric.yaml github settings (mutable through `settings`). */
    workflow?: Partial<WorkflowSettings>;
    /** Where the fabric hold is kept; default a file in a fresh temp dir. */
    holdFile?: string;
    /** A fake GitHub that outlives this service (restart tests); not closed by `close`. */
    fake?: FakeGithub;
    /** A real runner instead of the recording one. */
    runner?: FabricRunner;
    /** drift.propose: proposal branches are pushed to this git repo (a path); episodes kept in a temp file. */
    driftProposals?: { source: string };
  } = {},
): Promise<Harness> {
  const fake = options.fake ?? (await startFakeGithub());
  const client = await createGithubClient({
    auth: { kind: "token", token: "ghp_test" },
    baseUrl: fake.url,
    throttle: options.github?.throttle ?? { enabled: false },
    retry: options.github?.retry ?? { enabled: false },
    log: quiet,
  });
  const github = createGithubReporter({
    client,
    repo: REPO,
    branch: BRANCH,
    driftIssueTitle: "Fabric drift",
    redact,
    commentAuthor: fake.botLogin,
  });
  const logs: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split("\n")) if (line) logs.push(JSON.parse(line));
      done();
    },
  });
  const runner = new RecordingRunner();
  const settings: WorkflowSettings = { ...DEFAULT_WORKFLOW, ...options.workflow };
  const holdFile = options.holdFile ?? join(await mkdtemp(join(tmpdir(), "hold-")), "pr-hold.json");
  const service = await startService({
    runner: options.runner ?? runner,
    github,
    ...(options.driftProposals
      ? {
          driftProposals: {
            pulls: createProposalPulls(client, REPO, BRANCH),
            branch: gitProposalBranch(options.driftProposals.source),
            episodes: fileEpisodes(join(dirname(holdFile), "drift-proposal.json")),
            redact,
          },
        }
      : {}),
    ...(options.workflow
      ? {
          pullRequests: {
            reader: createPullRequestReader(client, REPO),
            hold: fileHold(holdFile),
            settings: async () => settings,
            commentAuthor: fake.botLogin,
          },
        }
      : {}),
    logger: pino({ level: "debug" }, sink),
    webhookSecret: SECRET,
    headOf: options.headOf,
    contains: options.contains,
    config: {
      listen: { host: "127.0.0.1", port: 0 },
      repo: REPO,
      branch: BRANCH,
      webhookPath: "/webhook",
      pollIntervalMs: 0,
      shutdownGraceMs: 1_000,
      ...options.config,
    },
  });
  const webhooks = new Webhooks({ secret: SECRET });
  let deliveries = 0;
  return {
    fake,
    runner,
    service,
    logs,
    settings,
    holdFile,
    async deliver(event, payload, o = {}) {
      const body = o.raw ?? JSON.stringify(payload);
      const headers: Record<string, string> = {
        "content-type": o.contentType ?? "application/json",
        "x-github-event": event,
        "x-github-delivery": o.id ?? `delivery-${++deliveries}`,
        "user-agent": "GitHub-Hookshot/test",
      };
      const signature = o.signature ?? (await webhooks.sign(body));
      if (signature !== "") headers["x-hub-signature-256"] = signature;
      return fetch(`${service.url}/webhook`, { method: "POST", headers, body });
    },
    async close() {
      await service.close();
      if (!options.fake) await fake.close();
    },
  };
}

const examples = createRequire(import.meta.url)("@octokit/webhooks-examples") as WebhookDefinition[];
// biome-ignore lint/suspicious/noExplicitAny: tests adjust example payloads field by field
type Payload = any;

/** A payload from @octokit/webhooks-examples (never hand-written), copied so a test may adjust it. */
export function example(
  name: string,
  match: (payload: Record<string, unknown>) => boolean = () => true,
): Payload {
  const definition = examples.find((d) => d.name === name);
  const found = (definition?.examples as Record<string, unknown>[] | undefined)?.find(match);
  if (!found) throw new Error(`no ${name} example matches`);
  return structuredClone(found);
}

let commentIds = 5000;
/** An `issue_comment` on PR `pull` by `login`, from the published example. */
export function commentEvent(
  pull: number,
  body: string,
  login: string,
  o: { action?: string; type?: string } = {},
) {
  const event = example("issue_comment", (p) => p.action === (o.action ?? "created"));
  event.issue.number = pull;
  event.issue.pull_request = {
    url: `https://api.github.com/repos/${REPO}/pulls/${pull}`,
    html_url: `https://github.com/${REPO}/pull/${pull}`,
    diff_url: `https://github.com/${REPO}/pull/${pull}.diff`,
    patch_url: `https://github.com/${REPO}/pull/${pull}.patch`,
  };
  event.comment.id = ++commentIds;
  event.comment.body = body;
  event.comment.user.login = login;
  event.comment.user.type = o.type ?? "User";
  return event;
}

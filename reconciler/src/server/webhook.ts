import type { IncomingMessage, ServerResponse } from "node:http";
import type { EmitterWebhookEvent } from "@octokit/webhooks";
import type { Logger } from "pino";
import { parseCommand } from "../pr-workflow/index.ts";
import { excerpt } from "../redaction/index.ts";
import { type ServiceMetrics, webhookEventLabel } from "./metrics.ts";
import type { Job, RunQueue } from "./run-queue.ts";
import { GITHUB_MAX_PAYLOAD_BYTES, readGate, readSignedBody } from "./webhook-body.ts";

export interface WebhookOptions {
  secret: string;
  /** Old secrets still accepted while a rotation is under way. */
  additionalSecrets?: string[];
  /** "owner/name": events of other repositories are ignored. */
  repo: string;
  /** Pushes to this branch apply; PRs against it are planned. */
  branch: string;
  queue: Pick<RunQueue, "request">;
  metrics: ServiceMetrics;
  logger: Logger;
  /** Largest body read; GitHub caps payloads at 25 MB, and so does this (a larger value is lowered). */
  maxBodyBytes?: number;
  /** Unauthenticated bodies read at once (each held until its signature is checked); default 2. */
  concurrentReads?: number;
  /** Requests waiting, unread, for a reading slot before the rest get 503; default 32. */
  waitingReads?: number;
  /** How long a request waits for a reading slot; default 5 s (GitHub gives a delivery 10 s). */
  readWaitMs?: number;
  /** How long a body may take to arrive once its reading started; default 10 s, then 408. */
  readTimeoutMs?: number;
  /** How many delivery ids are remembered for replay detection. */
  rememberDeliveries?: number;
  /** A verified PR against the tracked branch was closed (merged or not): it no longer holds a change. */
  onPullRequestClosed?: (pullNumber: number) => void;
  /**
   * The PR workflow is on (the service can read PRs): `/reconciler` comments become command jobs,
   * and a closed PR a release job (its hold on the fabric).
   */
  pullRequestWorkflow?: boolean;
  /** Our own login: its comments are never read as commands. */
  commentAuthor?: string;
}

/** The start of every comment the reconciler writes (github/sticky-comment.ts stickyMarker). */
const COMMENT_MARKER = "<!-- fabric-reconciler ";

const PLANNED_ACTIONS = new Set(["opened", "synchronize", "reopened"]);

type Answer = { status: number; result: string; detail?: string };

/**
 * POST /webhook: verify the HMAC-SHA256 signature over the raw body while it streams in (constant-time
 * compare), stop reading at the size limit, drop replayed deliveries (same X-GitHub-Delivery: the
 * signature has no timestamp), and answer at once (202) while the run waits in the queue — GitHub gives
 * a delivery 10 s. Everything before the signature check is unauthenticated: bounded in bytes and in
 * concurrent reads, and no header value becomes a metric label.
 */
export function createWebhookHandler(
  options: WebhookOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const secrets = [options.secret, ...(options.additionalSecrets ?? [])];
  const maxBytes = Math.min(options.maxBodyBytes ?? GITHUB_MAX_PAYLOAD_BYTES, GITHUB_MAX_PAYLOAD_BYTES);
  const gate = readGate(
    options.concurrentReads ?? 2,
    options.waitingReads ?? 32,
    options.readWaitMs ?? 5_000,
  );
  const remember = options.rememberDeliveries ?? 10_000;
  const seen = new Set<string>();

  const answer = async (req: IncomingMessage): Promise<Answer> => {
    const event = header(req, "x-github-event");
    const delivery = header(req, "x-github-delivery");
    const signature = header(req, "x-hub-signature-256");
    const type = header(req, "content-type") ?? "";
    if (!type.toLowerCase().startsWith("application/json")) {
      return {
        status: 415,
        result: "unsupported-media-type",
        detail: "configure the webhook with content type application/json",
      };
    }
    const missing = [
      ["x-github-event", event],
      ["x-github-delivery", delivery],
      ["x-hub-signature-256", signature],
    ].filter(([, value]) => !value);
    if (missing.length > 0) {
      return {
        status: 400,
        result: "missing-headers",
        detail: `required headers missing: ${missing.map(([n]) => n).join(", ")}`,
      };
    }
    const release = await gate.enter();
    if (!release)
      return { status: 503, result: "busy", detail: "too many webhook requests at once; redeliver later" };
    let read: Awaited<ReturnType<typeof readSignedBody>>;
    try {
      read = await readSignedBody(req, signature!, secrets, maxBytes, options.readTimeoutMs ?? 10_000);
    } finally {
      release();
    }
    if (!read.ok) {
      if (read.reason === "too-large")
        return { status: 413, result: "too-large", detail: `payload over ${maxBytes} bytes` };
      if (read.reason === "too-slow")
        return { status: 408, result: "too-slow", detail: "the body did not arrive in time" };
      if (read.reason === "aborted")
        return { status: 400, result: "aborted", detail: "the request ended before its body" };
      return {
        status: 400,
        result: "bad-signature",
        detail: "signature does not match the payload and secret",
      };
    }
    const body = read.body.toString("utf8");
    // Remembered only once verified, so a forged request cannot burn a real delivery id.
    if (seen.has(delivery!))
      return { status: 200, result: "duplicate", detail: `delivery ${delivery} was received before` };
    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return { status: 400, result: "malformed-json", detail: "the payload is not valid JSON" };
    }
    seen.add(delivery!);
    if (seen.size > remember) seen.delete(seen.values().next().value!);
    const closed = closedPullRequest(event!, payload, options);
    if (closed !== undefined) options.onPullRequestClosed?.(closed);
    const job = jobFor(event!, payload, options);
    if (typeof job === "string") return { status: 200, result: "ignored", detail: job };
    const queued = options.queue.request(job);
    if (queued === "closed")
      return { status: 503, result: "shutting-down", detail: "the service is stopping; redeliver later" };
    return { status: 202, result: queued, detail: `${job.kind} ${queued}` };
  };

  return async (req, res) => {
    // Header values are unauthenticated: a fixed set of labels, and bounded excerpts in the log.
    const event = webhookEventLabel(header(req, "x-github-event"));
    const delivery = header(req, "x-github-delivery");
    const { status, result, detail } = await answer(req);
    options.metrics.webhookDeliveries.inc({ event, result });
    const level = status >= 400 ? "warn" : "info";
    const fields = { event, delivery: delivery && excerpt(delivery, 80), status, result };
    options.logger[level](fields, `webhook ${event}: ${detail ?? result}`);
    // A body left unread (refused before or while reading) is not drained: the connection closes.
    const refused = !req.complete;
    res.writeHead(status, {
      "content-type": "application/json",
      ...(refused ? { connection: "close" } : {}),
    });
    res.end(JSON.stringify({ result, detail }), () => {
      if (refused) req.destroy();
    });
  };
}

type JobOptions = Pick<WebhookOptions, "repo" | "branch" | "pullRequestWorkflow" | "commentAuthor">;

/** The run an event asks for, or why it asks for none. */
export function jobFor(event: string, payload: unknown, options: JobOptions): Job | string {
  const repoOf = (p: unknown) => (p as { repository?: { full_name?: string } }).repository?.full_name;
  if (event === "ping") return "ping";
  const handled = ["pull_request", "push", ...(options.pullRequestWorkflow ? ["issue_comment"] : [])];
  if (!handled.includes(event)) return `event ${event} is not handled`;
  if (repoOf(payload) !== options.repo) return `repository ${repoOf(payload)} is not ${options.repo}`;
  if (event === "issue_comment")
    return commandJob(payload as EmitterWebhookEvent<"issue_comment">["payload"], options);
  if (event === "push") {
    const push = payload as EmitterWebhookEvent<"push">["payload"];
    if (push.ref !== `refs/heads/${options.branch}`) return `push to ${push.ref}, not to the tracked branch`;
    if (push.deleted) return "the branch was deleted";
    return { kind: "apply", trigger: "push", sha: push.after };
  }
  const pr = payload as EmitterWebhookEvent<"pull_request">["payload"];
  if (options.pullRequestWorkflow && closedPullRequest(event, payload, options) !== undefined)
    return {
      kind: "release",
      trigger: "pull-request",
      pullNumber: pr.number,
      merged: pr.pull_request.merged === true,
      ...(pr.sender?.login ? { closedBy: pr.sender.login } : {}),
      // The commit the merge made on the tracked branch: its apply may have to wait for a hold.
      ...(pr.pull_request.merged && pr.pull_request.merge_commit_sha
        ? { mergeSha: pr.pull_request.merge_commit_sha }
        : {}),
    };
  if (!PLANNED_ACTIONS.has(pr.action)) return `pull_request ${pr.action} needs no plan`;
  if (pr.pull_request.base.ref !== options.branch) return `pull request against ${pr.pull_request.base.ref}`;
  // A fork's head repo differs from the base: plan only, and never with our secrets (§2.4).
  const isFork = pr.pull_request.head.repo?.full_name !== pr.pull_request.base.repo.full_name;
  return {
    kind: "plan",
    trigger: "pull-request",
    pullNumber: pr.number,
    sha: pr.pull_request.head.sha,
    isFork,
    title: pr.pull_request.title,
  };
}

/**
 * A `/reconciler` comment on a PR, as a job. A new comment only: an edit could turn an old, already
 * answered comment into an apply. Bots (ourselves included, by login and by our comments' marker)
 * never give commands.
 */
function commandJob(
  event: EmitterWebhookEvent<"issue_comment">["payload"],
  options: JobOptions,
): Job | string {
  if (event.action !== "created") return `issue_comment ${event.action} is not a command`;
  if (!event.issue.pull_request) return "a comment on an issue, not on a pull request";
  const author = event.comment.user;
  if (author?.type === "Bot" || author?.login === options.commentAuthor) return "a comment by a bot";
  const body = event.comment.body ?? "";
  if (body.startsWith(COMMENT_MARKER)) return "a comment of the reconciler";
  const command = parseCommand(body);
  if (!command) return "not a /reconciler command";
  return {
    kind: "command",
    trigger: "comment",
    pullNumber: event.issue.number,
    commentId: event.comment.id,
    commenter: author?.login ?? "",
    command,
  };
}

/** The number of a PR against the tracked branch that this event closes. */
function closedPullRequest(
  event: string,
  payload: unknown,
  options: { repo: string; branch: string },
): number | undefined {
  if (event !== "pull_request") return undefined;
  const pr = payload as EmitterWebhookEvent<"pull_request">["payload"];
  if (pr.action !== "closed" || pr.repository?.full_name !== options.repo) return undefined;
  return pr.pull_request.base.ref === options.branch ? pr.number : undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

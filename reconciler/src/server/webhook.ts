import type { IncomingMessage, ServerResponse } from "node:http";
import { type EmitterWebhookEvent, Webhooks } from "@octokit/webhooks";
import type { Logger } from "pino";
import type { ServiceMetrics } from "./metrics.ts";
import type { Job, RunQueue } from "./run-queue.ts";

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
  /** GitHub caps payloads at 25 MB. */
  maxBodyBytes?: number;
  /** How many delivery ids are remembered for replay detection. */
  rememberDeliveries?: number;
}

const PLANNED_ACTIONS = new Set(["opened", "synchronize", "reopened"]);

type Answer = { status: number; result: string; detail?: string };

/**
 * POST /webhook: verify the HMAC-SHA256 signature over the raw body (@octokit/webhooks, constant
 * time), drop replayed deliveries (same X-GitHub-Delivery: the signature has no timestamp), and
 * answer at once (202) while the run waits in the queue — GitHub gives a delivery 10 s.
 */
export function createWebhookHandler(
  options: WebhookOptions,
): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const webhooks = new Webhooks({ secret: options.secret, additionalSecrets: options.additionalSecrets });
  const maxBytes = options.maxBodyBytes ?? 25 * 1024 * 1024;
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
    const body = await readBody(req, maxBytes);
    if (body === undefined)
      return { status: 413, result: "too-large", detail: `payload over ${maxBytes} bytes` };
    // The signature covers the bytes as received, so verify before parsing (GitHub docs).
    if (!(await webhooks.verify(body, signature!).catch(() => false))) {
      return {
        status: 400,
        result: "bad-signature",
        detail: "signature does not match the payload and secret",
      };
    }
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
    const job = jobFor(event!, payload, options);
    if (typeof job === "string") return { status: 200, result: "ignored", detail: job };
    const queued = options.queue.request(job);
    if (queued === "closed")
      return { status: 503, result: "shutting-down", detail: "the service is stopping; redeliver later" };
    return { status: 202, result: queued, detail: `${job.kind} ${queued}` };
  };

  return async (req, res) => {
    const event = header(req, "x-github-event") ?? "none";
    const delivery = header(req, "x-github-delivery");
    const { status, result, detail } = await answer(req);
    options.metrics.webhookDeliveries.inc({ event, result });
    const level = status >= 400 ? "warn" : "info";
    options.logger[level]({ event, delivery, status, result }, `webhook ${event}: ${detail ?? result}`);
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify({ result, detail }));
  };
}

/** The run an event asks for, or why it asks for none. */
export function jobFor(
  event: string,
  payload: unknown,
  options: { repo: string; branch: string },
): Job | string {
  const repoOf = (p: unknown) => (p as { repository?: { full_name?: string } }).repository?.full_name;
  if (event === "ping") return "ping";
  if (event !== "pull_request" && event !== "push") return `event ${event} is not handled`;
  if (repoOf(payload) !== options.repo) return `repository ${repoOf(payload)} is not ${options.repo}`;
  if (event === "push") {
    const push = payload as EmitterWebhookEvent<"push">["payload"];
    if (push.ref !== `refs/heads/${options.branch}`) return `push to ${push.ref}, not to the tracked branch`;
    if (push.deleted) return "the branch was deleted";
    return { kind: "apply", trigger: "push", sha: push.after };
  }
  const pr = payload as EmitterWebhookEvent<"pull_request">["payload"];
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

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhooks } from "@octokit/webhooks";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createServiceMetrics } from "../../../reconciler/src/server/metrics.ts";
import type { Job } from "../../../reconciler/src/server/run-queue.ts";
import { createWebhookHandler, jobFor } from "../../../reconciler/src/server/webhook.ts";
import { example } from "../../integration/github/harness.ts";

const target = { repo: "Codertocat/Hello-World", branch: "master" };

describe("jobFor", () => {
  const pr = (edit: (p: ReturnType<typeof example>) => void = () => {}) => {
    const payload = example("pull_request", (p) => p.action === "opened");
    edit(payload);
    return payload;
  };
  const cases: [string, string, unknown, Job | string][] = [
    [
      "plans an opened PR against the tracked branch",
      "pull_request",
      pr(),
      {
        kind: "plan",
        trigger: "pull-request",
        pullNumber: 2,
        sha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
        isFork: false,
        title: "Update the README with new information.",
      },
    ],
    [
      "ignores a PR against another branch",
      "pull_request",
      pr((p) => (p.pull_request.base.ref = "dev")),
      "pull request against dev",
    ],
    [
      "treats a PR whose head repo is gone as a fork",
      "pull_request",
      pr((p) => (p.pull_request.head.repo = null)),
      {
        kind: "plan",
        trigger: "pull-request",
        pullNumber: 2,
        sha: "ec26c3e57ca3a959ca5aad62de7213c562f8c821",
        isFork: true,
        title: "Update the README with new information.",
      },
    ],
    [
      "applies a push to the tracked branch",
      "push",
      example("push", (p) => p.ref === "refs/heads/master"),
      { kind: "apply", trigger: "push", sha: "6113728f27ae82c7b1a177c8d03f9e96e0adf246" },
    ],
    [
      "ignores the deletion of the tracked branch",
      "push",
      { ...example("push", (p) => p.ref === "refs/heads/master"), deleted: true },
      "the branch was deleted",
    ],
    ["answers ping", "ping", example("ping"), "ping"],
    ["ignores issues", "issues", example("issues"), "event issues is not handled"],
  ];
  for (const [name, event, payload, expected] of cases) {
    it(name, () => expect(jobFor(event, payload, target)).toEqual(expected));
  }

  it("names the merge commit of a merged PR, for a hold that defers its apply", () => {
    const closed = example("pull_request", (p) => p.action === "closed");
    closed.pull_request.base.ref = "master";
    closed.pull_request.merged = true;
    closed.pull_request.merge_commit_sha = "c".repeat(40);
    const workflow = { ...target, pullRequestWorkflow: true };
    expect(jobFor("pull_request", closed, workflow)).toEqual({
      kind: "release",
      trigger: "pull-request",
      pullNumber: closed.number,
      merged: true,
      closedBy: closed.sender.login,
      mergeSha: "c".repeat(40),
    });
    closed.pull_request.merged = false;
    expect(jobFor("pull_request", closed, workflow)).not.toHaveProperty("mergeSha");
  });
});

describe("webhook handler", () => {
  it("answers 413 to a payload over the size limit, before verifying it", async () => {
    const requested: Job[] = [];
    const handler = createWebhookHandler({
      secret: "s",
      ...target,
      queue: {
        request: (job) => {
          requested.push(job);
          return "queued";
        },
      },
      metrics: createServiceMetrics(),
      logger: pino({ level: "silent" }),
      maxBodyBytes: 100,
    });
    const server = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const body = JSON.stringify(example("push", (p) => p.ref === "refs/heads/master"));
    const response = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "push",
        "x-github-delivery": "big-1",
        "x-hub-signature-256": await new Webhooks({ secret: "s" }).sign(body),
      },
      body,
    });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ result: "too-large", detail: "payload over 100 bytes" });
    expect(requested).toEqual([]);
    server.closeAllConnections();
    server.close();
  });
});

/**
 * The whole GitHub loop with real parts: signed webhooks into the service, the real FabricRunner on a
 * real git repo, simulated switches over a real Prosody, and octokit talking HTTP to the fake GitHub.
 */
import { Writable } from "node:stream";
import { Webhooks } from "@octokit/webhooks";
import { pino } from "pino";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactSecrets } from "../../../reconciler/src/eos/index.ts";
import { createGithubClient, createGithubReporter } from "../../../reconciler/src/github/index.ts";
import { type RunningService, startService } from "../../../reconciler/src/server/index.ts";
import { type FakeGithub, startFakeGithub } from "../../fakes/github/server.ts";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";
import { example } from "./harness.ts";

const SECRET = "end-to-end-secret";
const REPO = "Codertocat/Hello-World";
const BRANCH = "master";

let lab: FabricLab;
let fake: FakeGithub;
let service: RunningService;
let head: string;
const webhooks = new Webhooks({ secret: SECRET });
let deliveries = 0;

async function deliver(event: string, payload: unknown): Promise<Response> {
  const body = JSON.stringify(payload);
  return fetch(`${service.url}/webhook`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": event,
      "x-github-delivery": `e2e-${++deliveries}`,
      "x-hub-signature-256": await webhooks.sign(body),
    },
    body,
  });
}

beforeAll(async () => {
  lab = await startFabricLab({ running: outdated });
  head = (await simpleGit(lab.repo).revparse(["HEAD"])).trim();
  fake = await startFakeGithub();
  const client = await createGithubClient({
    auth: { kind: "token", token: "ghp_test" },
    baseUrl: fake.url,
    throttle: { enabled: false },
    retry: { enabled: false },
    log: { debug() {}, info() {}, warn() {}, error() {} },
  });
  const github = createGithubReporter({
    client,
    repo: REPO,
    branch: BRANCH,
    driftIssueTitle: "Fabric drift",
    redact: redactSecrets,
    commentAuthor: fake.botLogin,
  });
  service = await startService({
    runner: lab.runner(),
    github,
    logger: pino({ level: "silent" }, new Writable({ write: (_c, _e, done) => done() })),
    webhookSecret: SECRET,
    config: {
      listen: { host: "127.0.0.1", port: 0 },
      repo: REPO,
      branch: BRANCH,
      webhookPath: "/webhook",
      pollIntervalMs: 0,
      shutdownGraceMs: 5_000,
    },
  });
});
afterAll(async () => {
  await service?.close();
  await fake?.close();
  await lab?.cleanup();
});

const statuses = (sha: string) =>
  (fake.repo(REPO).statuses.get(sha) ?? []).map((s) => `${s.context}=${s.state}`);

describe("GitHub loop against simulated switches", () => {
  it("plans a PR's head from git and the live switches, and comments the real plan", async () => {
    const event = example("pull_request", (p) => p.action === "opened");
    event.pull_request.head.sha = head;
    const response = await deliver("pull_request", event);
    expect(response.status).toBe(202);
    await service.queue.idle();

    const comments = fake.repo(REPO).comments.get(event.number)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain(`\`${head.slice(0, 7)}\``);
    expect(comments[0]!.body).toMatch(/group <b>leaf<\/b> → 4 switches/);
    expect(comments[0]!.body).toContain("ntp server 10.250.0.11 iburst");
    expect(statuses(head)).toContain("reconciler/plan=success");
    // planning changed nothing
    expect(lab.lab.fleet.get("leaf1").runningConfig()).toContain("ntp server 10.250.0.99 iburst");
  });

  it("applies a push to the tracked branch on the switches and comments the outcome on the merged PR", async () => {
    fake.addPull(REPO, { number: 7, headSha: head, merged: true });
    fake.addCommit(REPO, {
      sha: head,
      message: "Merge pull request #7",
      paths: ["groups/leaf.yaml"],
      pulls: [7],
    });
    const push = example("push", (p) => p.ref === "refs/heads/master");
    push.after = head;
    push.head_commit.id = head;
    expect((await deliver("push", push)).status).toBe(202);
    await service.queue.idle();

    expect(lab.lab.fleet.get("leaf1").runningConfig()).toContain("ntp server 10.250.0.11 iburst");
    expect(lab.lab.fleet.get("leaf1").runningConfig()).not.toContain("10.250.0.99");
    const body = fake.repo(REPO).comments.get(7)!.at(-1)!.body!;
    expect(body).toContain("**succeeded**");
    expect(body).toMatch(/\| leaf1 \| changed \|/);
    expect(statuses(head)).toEqual(
      expect.arrayContaining(["reconciler/apply=pending", "reconciler/apply=success"]),
    );
  });

  it("reports drift from a scheduled check on the PR that last changed the drifting switch", async () => {
    fake.addPull(REPO, { number: 9, headSha: "9".repeat(40), merged: true });
    fake.addCommit(REPO, {
      sha: "8".repeat(40),
      message: "Merge #9",
      paths: ["devices/leaf2.yaml"],
      pulls: [9],
    });
    lab.lab.fleet.get("leaf2").drift(["vlan 3999", "   name out-of-band-change"]);
    service.requestDriftCheck();
    await service.queue.idle();

    const comments = fake.repo(REPO).comments.get(9)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("<b>leaf2</b> drifted since");
    expect(comments[0]!.body).toContain("no vlan 3999");
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain("reconciler_switches_in_drift 1");
  });
});

import { afterEach, describe, expect, it } from "vitest";
import { example, type Harness, REPO, startHarness } from "./harness.ts";

const PR_HEAD = "ec26c3e57ca3a959ca5aad62de7213c562f8c821";
const PUSH_SHA = "6113728f27ae82c7b1a177c8d03f9e96e0adf246";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const prEvent = (action: string) => example("pull_request", (p) => p.action === action);
const statusesOf = (harness: Harness, sha: string) =>
  (harness.fake.repo(REPO).statuses.get(sha) ?? []).map((s) => `${s.context}=${s.state}`);

describe("pull request webhooks", () => {
  it("plans an opened PR: one sticky comment, pending then success statuses linked to it", async () => {
    h = await startHarness();
    const response = await h.deliver("pull_request", prEvent("opened"));
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ result: "queued", detail: "plan queued" });
    await h.service.queue.idle();

    expect(h.runner.calls).toEqual([{ op: "plan", trigger: "pull-request", rev: PR_HEAD }]);
    const comments = h.fake.repo(REPO).comments.get(2)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("**2 switches to change**");
    expect(statusesOf(h, PR_HEAD)).toEqual([
      "reconciler/validate=pending",
      "reconciler/plan=pending",
      "reconciler/validate=success",
      "reconciler/plan=success",
    ]);
    const plan = h.fake.repo(REPO).statuses.get(PR_HEAD)!.at(-1)!;
    expect(plan.description).toBe("2 switches to change in 3 batches; 1 in sync");
    expect(plan.target_url).toBe(comments[0]!.html_url);
  });

  it("links statuses to the run's page when a public address is configured", async () => {
    h = await startHarness({ config: { publicUrl: "https://reconciler.example/fabric/" } });
    expect((await h.deliver("pull_request", prEvent("opened"))).status).toBe(202);
    await h.service.queue.idle();
    const [runId] = h.runner.runIds;
    expect(runId).toMatch(/^[0-9a-f]{8}$/);
    const plan = h.fake.repo(REPO).statuses.get(PR_HEAD)!.at(-1)!;
    expect(plan.target_url).toBe(`https://reconciler.example/fabric/runs/${runId}`);
    expect((await fetch(`${h.service.url}/api/runs/${runId}`)).status).toBe(200);
  });

  it("keeps one comment across two synchronize events and shows the newest head", async () => {
    h = await startHarness();
    for (const sha of ["1".repeat(40), "2".repeat(40)]) {
      const event = prEvent("synchronize");
      event.pull_request.head.sha = sha;
      event.after = sha;
      expect((await h.deliver("pull_request", event)).status).toBe(202);
      await h.service.queue.idle();
    }
    const comments = h.fake.repo(REPO).comments.get(2)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("at `2222222`");
    expect(h.fake.requests.filter((r) => r.method === "PATCH")).toHaveLength(1);
  });

  it("ignores a replayed delivery", async () => {
    h = await startHarness();
    expect((await h.deliver("pull_request", prEvent("opened"), { id: "d-1" })).status).toBe(202);
    await h.service.queue.idle();
    const replay = await h.deliver("pull_request", prEvent("opened"), { id: "d-1" });
    expect(replay.status).toBe(200);
    expect(await replay.json()).toEqual({ result: "duplicate", detail: "delivery d-1 was received before" });
    await h.service.queue.idle();
    expect(h.runner.calls).toHaveLength(1);
  });

  it("plans a PR from a fork with planOnly and never applies it", async () => {
    h = await startHarness();
    const event = prEvent("opened");
    event.pull_request.head.repo.full_name = "mallory/Hello-World";
    expect((await h.deliver("pull_request", event)).status).toBe(202);
    await h.service.queue.idle();
    expect(h.runner.calls).toEqual([{ op: "plan", trigger: "pull-request", rev: PR_HEAD, planOnly: true }]);
    expect(h.runner.switchesChanged).toEqual([]);
  });

  it("marks validate as failed and explains the errors when the desired state is invalid", async () => {
    h = await startHarness();
    h.runner.planOutcome = () => ({
      ok: false,
      exitCode: 1,
      code: "invalid-input",
      message: "the desired state is invalid (1 errors)",
      errors: [
        {
          code: "schema",
          message: "hostname is required",
          hint: "add hostname",
          position: { file: "devices/leaf1.yaml", line: 1, col: 1 },
        },
      ],
    });
    await h.deliver("pull_request", prEvent("opened"));
    await h.service.queue.idle();
    expect(statusesOf(h, PR_HEAD).slice(2)).toEqual([
      "reconciler/validate=failure",
      "reconciler/plan=failure",
    ]);
    expect(h.fake.repo(REPO).comments.get(2)![0]!.body).toContain("`devices/leaf1.yaml:1:1`");
  });
});

describe("bad input", () => {
  it("answers 400 to a wrongly signed webhook and runs nothing", async () => {
    h = await startHarness();
    const response = await h.deliver("pull_request", prEvent("opened"), {
      signature: `sha256=${"0".repeat(64)}`,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      result: "bad-signature",
      detail: "signature does not match the payload and secret",
    });
    await h.service.queue.idle();
    expect(h.runner.calls).toEqual([]);
    expect(h.fake.requests).toEqual([]);
  });

  it("answers 400 to an unsigned webhook", async () => {
    h = await startHarness();
    const response = await h.deliver("pull_request", prEvent("opened"), { signature: "" });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ detail: "required headers missing: x-hub-signature-256" });
    expect(h.runner.calls).toEqual([]);
  });

  it("does not let a forged request burn the delivery id of a real one", async () => {
    h = await startHarness();
    await h.deliver("pull_request", prEvent("opened"), { id: "d-9", signature: `sha256=${"1".repeat(64)}` });
    expect((await h.deliver("pull_request", prEvent("opened"), { id: "d-9" })).status).toBe(202);
  });

  it("answers 400 to signed but malformed JSON", async () => {
    h = await startHarness();
    const response = await h.deliver("pull_request", undefined, { raw: '{"action": "opened",' });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      result: "malformed-json",
      detail: "the payload is not valid JSON",
    });
    expect(h.runner.calls).toEqual([]);
  });

  it("answers 415 to a form-encoded delivery", async () => {
    h = await startHarness();
    const response = await h.deliver("pull_request", prEvent("opened"), {
      contentType: "application/x-www-form-urlencoded",
    });
    expect(response.status).toBe(415);
  });

  it("ignores unknown events and PR actions that need no plan", async () => {
    h = await startHarness();
    const star = await h.deliver("star", example("star"));
    expect(await star.json()).toEqual({ result: "ignored", detail: "event star is not handled" });
    const labeled = await h.deliver("pull_request", prEvent("labeled"));
    expect(await labeled.json()).toEqual({ result: "ignored", detail: "pull_request labeled needs no plan" });
    expect((await h.deliver("ping", example("ping"))).status).toBe(200);
    await h.service.queue.idle();
    expect(h.runner.calls).toEqual([]);
  });

  it("ignores pushes to other branches, tags and other repositories", async () => {
    h = await startHarness();
    const other = example("push", (p) => p.ref === "refs/heads/master");
    other.ref = "refs/heads/feature";
    expect(await (await h.deliver("push", other)).json()).toEqual({
      result: "ignored",
      detail: "push to refs/heads/feature, not to the tracked branch",
    });
    const tag = example("push", (p) => p.ref === "refs/tags/simple-tag" && p.deleted === false);
    expect(await (await h.deliver("push", tag)).json()).toMatchObject({ result: "ignored" });
    const elsewhere = example("push", (p) => p.ref === "refs/heads/master");
    elsewhere.repository.full_name = "someone/else";
    expect(await (await h.deliver("push", elsewhere)).json()).toMatchObject({
      detail: "repository someone/else is not Codertocat/Hello-World",
    });
    await h.service.queue.idle();
    expect(h.runner.calls).toEqual([]);
  });
});

describe("push to the tracked branch", () => {
  it("applies the pushed revision and comments the outcome on the merged PR", async () => {
    h = await startHarness();
    h.fake.addPull(REPO, { number: 2, headSha: PR_HEAD, merged: true });
    h.fake.addCommit(REPO, {
      sha: PUSH_SHA,
      message: "Merge pull request #2",
      paths: ["devices/leaf1.yaml"],
      pulls: [2],
    });
    const response = await h.deliver(
      "push",
      example("push", (p) => p.ref === "refs/heads/master"),
    );
    expect(response.status).toBe(202);
    await h.service.queue.idle();

    expect(h.runner.calls).toEqual([{ op: "apply", trigger: "push", rev: PUSH_SHA }]);
    const body = h.fake.repo(REPO).comments.get(2)![0]!.body!;
    expect(body).toContain("to fabric `lab`: **succeeded**");
    expect(body).toContain("| leaf1 | changed | 0 |");
    expect(statusesOf(h, PUSH_SHA)).toEqual(["reconciler/apply=pending", "reconciler/apply=success"]);
    const metrics = await (await fetch(`${h.service.url}/metrics`)).text();
    expect(metrics).toContain('reconciler_runs_total{kind="apply",trigger="push",outcome="succeeded"} 1');
    expect(metrics).toMatch(/reconciler_last_successful_apply_timestamp_seconds \d{10}/);
  });
});

describe("drift schedule", () => {
  it("comments drift found by a cron tick once, not again while it is unchanged", async () => {
    h = await startHarness({ config: { drift: { schedule: "* * * * * *", selfHeal: false } } });
    h.fake.addPull(REPO, { number: 5, headSha: "5".repeat(40), merged: true });
    h.fake.addCommit(REPO, {
      sha: "4".repeat(40),
      message: "Merge #5",
      paths: ["devices/leaf1.yaml"],
      pulls: [5],
    });
    h.runner.driftedDevices = ["leaf1"];
    await waitFor(() => h!.runner.calls.filter((c) => c.op === "drift").length >= 2, 5_000);
    await h.service.queue.idle();

    expect(h.runner.calls[0]).toEqual({ op: "drift", trigger: "schedule", heal: false });
    const comments = h.fake.repo(REPO).comments.get(5)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("<b>leaf1</b> drifted since");
    expect(h.fake.requests.filter((r) => r.method === "PATCH")).toHaveLength(0);
    const metrics = await (await fetch(`${h.service.url}/metrics`)).text();
    expect(metrics).toContain("reconciler_switches_in_drift 1");
  });
});

describe("GitHub failures", () => {
  it("retries a 500, then logs and counts the failure, and changes no switch", async () => {
    h = await startHarness({ github: { retry: { retryAfterBaseValue: 1 } } });
    h.fake.fail({ method: "POST", path: /\/statuses\//, status: 500 });
    await h.deliver("pull_request", prEvent("opened"));
    await h.service.queue.idle();

    const statusPosts = h.fake.requests.filter((r) => r.path.includes("/statuses/"));
    expect(statusPosts).toHaveLength(4 * 4); // four statuses, each tried 1 + 3 times
    expect(h.fake.repo(REPO).comments.get(2)).toHaveLength(1); // the comment still made it
    const failure = h.logs.find((l) => l.operation === "status plan" && l.level === 50)!;
    expect(failure.msg).toBe("github status plan failed (HTTP 500); the run goes on");
    expect(failure.runId).toEqual(expect.any(String));
    const metrics = await (await fetch(`${h.service.url}/metrics`)).text();
    expect(metrics).toContain('reconciler_github_errors_total{operation="status plan",status="500"} 2');
    expect(h.runner.calls.map((c) => c.op)).toEqual(["plan"]);
    expect(h.runner.switchesChanged).toEqual([]);
  });

  it("waits out a 403 rate limit once through octokit's throttling, then reports a clear failure", async () => {
    h = await startHarness({ github: { throttle: { retryAfterBaseValue: 1 } } });
    h.fake.fail({
      method: "GET",
      path: /\/issues\/2\/comments$/,
      status: 403,
      message: "API rate limit exceeded for installation ID 42.",
      headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000)) },
    });
    await h.deliver("pull_request", prEvent("opened"));
    await h.service.queue.idle();

    expect(h.fake.requests.filter((r) => r.path.endsWith("/issues/2/comments"))).toHaveLength(2);
    expect(h.fake.repo(REPO).comments.get(2)).toBeUndefined();
    const failure = h.logs.find((l) => l.operation === "plan comment")!;
    expect(failure.msg).toBe("github plan comment failed (HTTP 403); the run goes on");
    const metrics = await (await fetch(`${h.service.url}/metrics`)).text();
    expect(metrics).toContain('reconciler_github_errors_total{operation="plan comment",status="403"} 1');
    expect(metrics).toContain(
      'reconciler_runs_total{kind="plan",trigger="pull-request",outcome="changes"} 1',
    );
    expect(h.runner.switchesChanged).toEqual([]);
  }, 20_000);
});

describe("health, metrics and shutdown", () => {
  it("serves /healthz and Prometheus text on /metrics, and nothing else", async () => {
    h = await startHarness();
    expect((await fetch(`${h.service.url}/webhook`)).status).toBe(405);
    expect((await fetch(`${h.service.url}/nothing-here`)).status).toBe(404);
    const health = await fetch(`${h.service.url}/healthz`);
    expect(await health.json()).toEqual({ status: "ok", running: null });
    const metrics = await fetch(`${h.service.url}/metrics`);
    expect(metrics.headers.get("content-type")).toContain("text/plain");
    const text = await metrics.text();
    for (const name of [
      "reconciler_runs_total",
      "reconciler_run_duration_seconds",
      "reconciler_switches_in_drift",
      "reconciler_last_successful_apply_timestamp_seconds",
      "reconciler_xmpp_connected",
    ]) {
      expect(text).toContain(`# TYPE ${name}`);
    }
  });

  it("abandons a run that outlasts the grace time and takes no new work", async () => {
    h = await startHarness({ config: { shutdownGraceMs: 100 } });
    h.runner.applyGate = new Promise(() => {});
    await h.deliver(
      "push",
      example("push", (p) => p.ref === "refs/heads/master"),
    );
    await waitFor(() => h!.runner.calls.length === 1, 2_000);
    const service = h.service;
    expect(await service.close()).toBe("abandoned");
    expect(h.logs.some((l) => String(l.msg).includes("commit timers roll back"))).toBe(true);
    await h.fake.close();
    h = undefined;
  });

  it("lets the current run finish within the grace time", async () => {
    h = await startHarness({ config: { shutdownGraceMs: 5_000 } });
    let release = () => {};
    h.runner.applyGate = new Promise<void>((resolve) => {
      release = resolve;
    });
    await h.deliver(
      "push",
      example("push", (p) => p.ref === "refs/heads/master"),
    );
    await waitFor(() => h!.runner.calls.length === 1, 2_000);
    const closing = h.service.close();
    setTimeout(release, 50);
    expect(await closing).toBe("finished");
    expect(h.runner.switchesChanged).toEqual(["leaf1", "leaf2"]);
    await h.fake.close();
    h = undefined;
  });
});

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

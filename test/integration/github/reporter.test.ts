import { generateKeyPairSync } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  createGithubClient,
  createGithubReporter,
  type GithubClient,
  resolveCommentAuthor,
  stickyMarker,
} from "../../../reconciler/src/github/index.ts";
import { type FakeGithub, startFakeGithub } from "../../fakes/github/server.ts";
import { driftFor, planFor, redact, rolloutFor } from "./fixtures.ts";

const REPO = "octo/fabric";
const SHA = "a".repeat(40);
const quiet = { debug() {}, info() {}, warn() {}, error() {} };

let fake: FakeGithub;
let client: GithubClient;

beforeEach(async () => {
  fake = await startFakeGithub();
  client = await createGithubClient({
    auth: { kind: "token", token: "ghp_test" },
    baseUrl: fake.url,
    throttle: { enabled: false },
    retry: { enabled: false },
    log: quiet,
  });
});
afterEach(() => fake.close());

function reporter(overrides: Partial<Parameters<typeof createGithubReporter>[0]> = {}) {
  return createGithubReporter({
    client,
    repo: REPO,
    branch: "main",
    driftIssueTitle: "Fabric drift",
    redact,
    commentAuthor: fake.botLogin,
    reportUrl: (runId) => `https://reconciler.example/runs/${runId}`,
    ...overrides,
  });
}

describe("sticky plan comment", () => {
  it("creates one comment, then updates it in place, and skips an unchanged body", async () => {
    const r = reporter();
    const url = await r.commentPlan(7, { ok: true, plan: planFor(SHA, 2) });
    await r.commentPlan(7, { ok: true, plan: planFor("b".repeat(40), 3) });
    await r.commentPlan(7, { ok: true, plan: planFor("b".repeat(40), 3) });
    const comments = fake.repo(REPO).comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(url).toBe(comments[0]!.html_url);
    expect(comments[0]!.body).toMatch(
      /^<!-- fabric-reconciler \{"key":"plan"\} -->\n### Plan for fabric `lab` at `bbbbbbb`/,
    );
    expect(comments[0]!.body).not.toContain("hunter2");
    expect(fake.requests.filter((q) => q.method === "PATCH")).toHaveLength(1);
    expect(fake.requests.filter((q) => q.method === "POST")).toHaveLength(1);
  });

  it("finds its comment across pages and ignores a marker pasted by someone else", async () => {
    const state = fake.repo(REPO);
    // 150 other comments, one of them a human quoting our marker.
    for (let i = 0; i < 150; i++) {
      state.comments.set(7, [
        ...(state.comments.get(7) ?? []),
        { ...(await postAs("octocat", i === 3 ? `${stickyMarker("plan")}\nhijack` : `comment ${i}`)) },
      ]);
    }
    const r = reporter();
    await r.commentPlan(7, { ok: true, plan: planFor(SHA, 1) });
    await r.commentPlan(7, { ok: true, plan: planFor(SHA, 2) });
    const ours = state.comments.get(7)!.filter((c) => c.user?.login === fake.botLogin);
    expect(ours).toHaveLength(1);
    expect(state.comments.get(7)!.find((c) => c.body?.endsWith("hijack"))).toBeDefined();
    expect(fake.requests.some((q) => q.method === "GET" && q.query.get("page") === "2")).toBe(true);
  });

  it("deletes a duplicate left by an earlier race and keeps the newest", async () => {
    const r = reporter();
    await r.commentPlan(7, { ok: true, plan: planFor(SHA, 1) });
    await client.rest.issues.createComment({
      owner: "octo",
      repo: "fabric",
      issue_number: 7,
      body: `${stickyMarker("plan")}\nold`,
    });
    await r.commentPlan(7, { ok: true, plan: planFor(SHA, 2) });
    const comments = fake.repo(REPO).comments.get(7)!;
    expect(comments).toHaveLength(1);
    expect(comments[0]!.body).toContain("**2 switches to change**");
  });

  it("explains a refused plan with every input error", async () => {
    await reporter().commentPlan(8, {
      ok: false,
      exitCode: 1,
      code: "invalid-input",
      message: "the desired state has 1 error",
      errors: [
        {
          code: "unknown-group",
          message: "leaf1 names group leavs",
          hint: "use leaves",
          position: { file: "devices/leaf1.yaml", line: 4, col: 5 },
        },
      ],
    });
    const body = fake.repo(REPO).comments.get(8)![0]!.body!;
    expect(body).toContain("### Plan could not run: `invalid-input`");
    expect(body).toContain(
      "| `devices/leaf1.yaml:4:5` | `unknown-group` | leaf1 names group leavs | use leaves |",
    );
  });

  it("keeps a huge plan under GitHub's limit so the fake accepts it", async () => {
    await reporter().commentPlan(9, { ok: true, plan: planFor(SHA, 1500, 30) });
    const body = fake.repo(REPO).comments.get(9)![0]!.body!;
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain("**Folded:**");
    expect(body).toContain("| changes | 1500 |");
  });
});

describe("commit statuses", () => {
  it("posts reconciler/<check> with a one-line description and a link", async () => {
    await reporter().setStatus(
      SHA,
      "plan",
      "success",
      `3 switches change\n${"x".repeat(300)}`,
      "https://x/1",
    );
    const [status] = fake.repo(REPO).statuses.get(SHA)!;
    expect(status).toMatchObject({ context: "reconciler/plan", state: "success", target_url: "https://x/1" });
    expect(status!.description!.length).toBeLessThanOrEqual(140);
    expect(status!.description).toMatch(/^3 switches change x+…$/);
  });
});

describe("apply comment", () => {
  it("comments the outcome per switch on the PR merged as the applied commit", async () => {
    fake.addPull(REPO, { number: 12, headSha: "c".repeat(40), merged: true });
    fake.addCommit(REPO, {
      sha: SHA,
      message: "Merge pull request #12",
      paths: ["devices/leaf1.yaml"],
      pulls: [12],
    });
    const plan = planFor(SHA, 2);
    const url = await reporter().commentApply(SHA, { ok: true, plan, result: rolloutFor(plan) });
    const body = fake.repo(REPO).comments.get(12)![0]!.body!;
    expect(url).toContain("#issuecomment-");
    expect(body).toContain("### Apply `aaaaaaa` (`main`) to fabric `lab`: **succeeded**");
    expect(body).toContain("| leaf1 | changed | 0 |");
  });

  it("writes nothing when no PR is associated with the commit", async () => {
    const plan = planFor(SHA, 1);
    expect(await reporter().commentApply(SHA, { ok: true, plan, result: rolloutFor(plan) })).toBeUndefined();
    expect(fake.requests.some((q) => q.method === "POST")).toBe(false);
  });
});

describe("drift report", () => {
  it("goes to the PR that last changed the drifting switch's file, else to a standing issue", async () => {
    fake.addPull(REPO, { number: 21, headSha: "d".repeat(40), merged: true });
    fake.addCommit(REPO, { sha: "1".repeat(40), message: "old", paths: ["devices/leaf1.yaml"], pulls: [] });
    fake.addCommit(REPO, {
      sha: "2".repeat(40),
      message: "Merge #21",
      paths: ["devices/leaf1.yaml"],
      pulls: [21],
    });
    fake.addCommit(REPO, {
      sha: "3".repeat(40),
      message: "direct push",
      paths: ["devices/leaf2.yaml"],
      pulls: [],
    });
    await reporter().reportDrift(driftFor(SHA, ["leaf1", "leaf2"]));

    const state = fake.repo(REPO);
    const onPull = state.comments.get(21)![0]!.body!;
    expect(onPull).toContain("<b>leaf1</b> drifted since");
    expect(onPull).not.toContain("<b>leaf2</b>");
    const issue = state.issues.find((i) => i.title === "Fabric drift")!;
    expect(state.comments.get(issue.number)![0]!.body).toContain("<b>leaf2</b> drifted since");

    // Next check: drift is gone. The standing issue's comment says so, in place.
    await reporter().reportDrift(driftFor(SHA, []));
    expect(state.issues).toHaveLength(1);
    expect(state.comments.get(issue.number)).toHaveLength(1);
    expect(state.comments.get(issue.number)![0]!.body).toContain("**No drift.**");
  });

  it("goes to the PR whose change to a group file or fabric.yaml is newer than the switch's own file", async () => {
    for (const number of [41, 21, 31]) fake.addPull(REPO, { number, headSha: "e".repeat(40), merged: true });
    const commit = (sha: string, path: string, pull: number) =>
      fake.addCommit(REPO, { sha: sha.repeat(40), message: `Merge #${pull}`, paths: [path], pulls: [pull] });
    commit("a", "fabric.yaml", 41); // oldest
    commit("b", "devices/leaf1.yaml", 21);
    commit("c", "groups/leaf.yaml", 31); // newest
    const report = {
      ...driftFor(SHA, ["leaf1", "spine1"]),
      membership: { leaf1: ["leaf"], leaf2: ["leaf"], spine1: ["spine"] },
    };
    await reporter().reportDrift(report);

    const state = fake.repo(REPO);
    const onGroupPr = state.comments.get(31)![0]!.body!;
    expect(onGroupPr).toContain("<b>leaf1</b> drifted since");
    expect(onGroupPr).not.toContain("<b>spine1</b>");
    expect(state.comments.get(41)![0]!.body).toContain("<b>spine1</b> drifted since");
    expect(state.comments.get(21)).toBeUndefined();
    expect(state.issues.some((i) => i.title === "Fabric drift")).toBe(false);
  });
});

const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

describe("authentication", () => {
  it("tells which login the comments are written by, for a token and for an App", async () => {
    const common = { baseUrl: fake.url, throttle: { enabled: false }, retry: { enabled: false }, log: quiet };
    expect(await resolveCommentAuthor({ ...common, auth: { kind: "token", token: "ghp_test" } })).toBe(
      "reconciler-bot",
    );
    expect(
      await resolveCommentAuthor({
        ...common,
        auth: { kind: "app", appId: 1, privateKey, installationId: 42 },
      }),
    ).toBe("fabric-reconciler[bot]");
    fake.fail({ path: /^\/user$/, status: 403, message: "Resource not accessible by integration" });
    expect(
      await resolveCommentAuthor({ ...common, auth: { kind: "token", token: "ghs_actions" } }),
    ).toBeUndefined();
  });

  it("authenticates as a GitHub App installation through the token exchange", async () => {
    const appClient = await createGithubClient({
      auth: { kind: "app", appId: 123, privateKey, installationId: 42 },
      baseUrl: fake.url,
      throttle: { enabled: false },
      retry: { enabled: false },
      log: quiet,
    });
    await createGithubReporter({
      client: appClient,
      repo: REPO,
      branch: "main",
      driftIssueTitle: "d",
      redact,
    }).setStatus(SHA, "apply", "pending", "applying");
    const exchange = fake.requests.find((q) => q.path === "/app/installations/42/access_tokens")!;
    expect(exchange.headers.authorization).toMatch(/^bearer ey/);
    const post = fake.requests.find((q) => q.path.startsWith("/repos/"))!;
    expect(post.headers.authorization).toBe("token ghs_fake_42");
  });
});

async function postAs(login: string, body: string) {
  const other = await createGithubClient({
    auth: { kind: "token", token: "ghp_other" },
    baseUrl: fake.url,
    throttle: { enabled: false },
    retry: { enabled: false },
    log: quiet,
  });
  const { data } = await other.rest.issues.createComment({
    owner: "octo",
    repo: "scratch",
    issue_number: 1,
    body,
  });
  return { ...data, user: data.user ? { ...data.user, login } : null };
}

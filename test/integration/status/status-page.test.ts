/**
 * The status pages in a real headless Chromium (Debian's, driven by playwright-core), against the
 * real service, the real runner on a real git repo, simulated switches over a real Prosody and the
 * fake GitHub: a demo-like sequence (PR plan, apply, out-of-band change, unreachable switch), the
 * compliance matrix, a switch page, and a live update during an apply. Screenshots are kept in
 * test-artifacts/status/ for people; the assertions compare the page's structure, not pixels.
 */
import { mkdir } from "node:fs/promises";
import { Writable } from "node:stream";
import { pino } from "pino";
import { type Browser, chromium, type Page } from "playwright-core";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactSecrets } from "../../../reconciler/src/eos/index.ts";
import { createGithubClient, createGithubReporter } from "../../../reconciler/src/github/index.ts";
import { type RunningService, startService } from "../../../reconciler/src/server/index.ts";
import {
  createFabricStatus,
  type FabricStatus,
  type FabricView,
} from "../../../reconciler/src/status/index.ts";
import { type FakeGithub, startFakeGithub } from "../../fakes/github/server.ts";
import { example } from "../github/harness.ts";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";
import { signedWebhooks } from "../support/signed-webhook.ts";

const SECRET = "status-page-secret";
const REPO = "Codertocat/Hello-World";
const BRANCH = "master";
const ARTIFACTS = "test-artifacts/status";
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

let lab: FabricLab;
let fake: FakeGithub;
let service: RunningService;
let status: FabricStatus;
let browser: Browser;
let head: string;
const signed = signedWebhooks(SECRET, "status");

async function deliver(event: string, payload: unknown, status = 202): Promise<void> {
  const response = await signed(`${service.url}/webhook`, event, payload);
  expect(response.status).toBe(status);
}

async function push(sha: string): Promise<void> {
  const event = example("push", (p) => p.ref === "refs/heads/master");
  event.after = sha;
  event.head_commit.id = sha;
  await deliver("push", event);
}

/** The page's outline: what a screen-reader user would navigate by. */
async function outline(page: Page): Promise<string[]> {
  return page.$$eval("h1, h2, caption, table.matrix thead th", (nodes) =>
    nodes
      .filter((n) => !n.closest("[hidden]"))
      .map((n) => `${n.tagName.toLowerCase()}: ${(n.textContent ?? "").trim()}`),
  );
}

async function keep(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
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
    reportUrl: (runId) => `${service.url}/runs/${runId}`,
  });
  status = createFabricStatus({ repo: REPO, branch: BRANCH });
  service = await startService({
    runner: lab.runner({ onEvent: (event) => status.observeEvent(event) }),
    github,
    status,
    logger: pino(
      { level: process.env.TEST_LOG ? "debug" : "silent" },
      process.env.TEST_LOG ? process.stderr : new Writable({ write: (_c, _e, done) => done() }),
    ),
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
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });

  // The demo's sequence: a PR is planned, merged and applied; then leaf2 is changed by hand and spine2 goes away.
  const pr = example("pull_request", (p) => p.action === "opened");
  pr.pull_request.head.sha = head;
  pr.pull_request.title = `Retire NTP <script>alert("pr")</script>`;
  await deliver("pull_request", pr);
  await service.queue.idle();
  fake.addPull(REPO, { number: 7, headSha: head, merged: true });
  fake.addCommit(REPO, {
    sha: head,
    message: "Merge pull request #7",
    paths: ["groups/leaf.yaml"],
    pulls: [7],
  });
  await push(head);
  await service.queue.idle();
  lab.lab.fleet.get("leaf2").drift(["vlan 3999", "   name out-of-band-change"]);
  await lab.lab.fleet.get("spine2").setFaults(["offline"]);
  service.requestDriftCheck();
  await service.queue.idle();
});

afterAll(async () => {
  await browser?.close();
  await service?.close();
  await fake?.close();
  await lab?.cleanup();
});

describe("status page: the fabric view", () => {
  it("shows every switch by group with its state, the counts, and the compliance matrix", async () => {
    const page = await browser.newPage();
    await page.goto(service.url);
    expect(await page.title()).toBe(`reconciler: ${REPO}`);
    expect(await outline(page)).toEqual([
      "h1: Fabric securitydemo",
      "caption: Group leaf",
      "caption: Group spine",
      "h2: Compliance",
      ...["Switch", ...lab.fabric.scope.sections].map((s) => `th: ${s}`),
      "h2: Recent runs",
      "caption: Recent runs",
    ]);
    const count = (key: string) => page.textContent(`[data-count="${key}"] b`);
    expect(await count("switches")).toBe("6");
    expect(await count("in-sync")).toBe("4");
    expect(await count("drifted")).toBe("1");
    expect(await count("unreachable")).toBe("1");
    const state = (device: string) =>
      page.getAttribute(`table.switches tr[data-device="${device}"] .badge`, "data-state");
    expect(await state("leaf1")).toBe("in-sync");
    expect(await state("leaf2")).toBe("drifted");
    expect(await state("spine2")).toBe("unreachable");
    expect(await page.textContent('table.switches tr[data-device="leaf2"] .detail')).toMatch(
      /since .*, 2 lines in vlan/,
    );
    // The last verified revision is the applied head.
    expect(await page.textContent('table.switches tr[data-device="leaf1"] td:nth-child(3)')).toBe(
      head.slice(0, 10),
    );
    // Presence and the CLI framing the plan used for the switch, and how it was known.
    expect(await page.textContent('table.switches tr[data-device="leaf1"] td:nth-child(4)')).toMatch(
      /^online · (multiline|per-sender) \((configured|detected|remembered)\)$/,
    );
    // The PR's hostile title never became markup anywhere.
    expect(await page.content()).not.toContain('<script>alert("pr")');
    await keep(page, "fabric");

    // Filtering works without JavaScript: a plain GET form.
    await page.selectOption('select[name="state"]', "drifted");
    await page.click('form.filter button[type="submit"]');
    await page.waitForURL(/state=drifted/);
    expect(
      await page.$$eval("table.switches tbody tr", (rows) => rows.map((r) => r.getAttribute("data-device"))),
    ).toEqual(["leaf2"]);
    await page.close();
  });

  it("opens a section's diff from a compliance-matrix cell, by keyboard", async () => {
    const page = await browser.newPage();
    await page.goto(service.url);
    const cell = page.locator('table.matrix tr[data-device="leaf2"] td.cell-bad a');
    expect(await cell.count()).toBe(1);
    expect(await cell.getAttribute("aria-label")).toBe("leaf2 vlan: 2 lines differ");
    await cell.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/switches\/leaf2\/sections\/vlan$/);
    expect(await page.textContent("h1")).toBe("leaf2: vlan");
    const diff = await page.textContent("pre");
    expect(diff).toContain("+vlan 3999");
    expect(diff).toContain("+   name out-of-band-change");
    await keep(page, "section-diff");
    await page.close();
  });

  it("shows a switch page: intended vs live, the fix, history, and the PR that changed it", async () => {
    const page = await browser.newPage();
    await page.goto(`${service.url}/switches/leaf2`);
    expect(await page.textContent("h1")).toContain("leaf2");
    expect(await page.getAttribute("h1 .badge", "data-state")).toBe("drifted");
    const headings = await page.$$eval("h2", (nodes) => nodes.map((n) => n.textContent));
    expect(headings).toEqual([
      "Managed sections",
      "Intended vs live",
      "Remediation",
      "Open pull requests that change it",
      "Changed by",
      "History",
    ]);
    expect(await page.textContent('pre[aria-label="commands that would fix it"]')).toContain("no vlan 3999");
    expect(await page.textContent("main")).toContain("from PR #7");
    const kinds = await page.$$eval("table tbody tr td:nth-child(3)", (cells) =>
      cells.map((c) => c.textContent),
    );
    expect(kinds).toEqual(["drift", "apply", "plan"]);
    await keep(page, "switch");
    await page.close();
  });

  it("updates without a reload while an apply runs: the wave and each switch's step", async () => {
    // A change for the leaves, slowed down on the switches so the page can watch it.
    const sha = await lab.commit(
      "groups/leaf.yaml",
      (text) => text.replace("description server access (SERVERS)", "description server access, row A"),
      "Describe the leaves' server ports",
    );
    await lab.lab.fleet.get("spine2").setFaults([]);
    for (const leaf of ["leaf1", "leaf2", "leaf3", "leaf4"])
      await lab.lab.fleet.get(leaf).setFaults(["slow=400"]);
    const page = await browser.newPage();
    await page.goto(service.url);
    const loadedAt = await page.evaluate(() => performance.timeOrigin);
    expect(await page.isHidden("#live")).toBe(true);
    fake.addCommit(REPO, { sha, message: "Describe server ports", paths: ["groups/leaf.yaml"], pulls: [] });
    await push(sha);
    await page.waitForSelector("#live:not([hidden])");
    await expect.poll(() => page.textContent("#live-phase"), { timeout: 30_000 }).toMatch(/wave \d/);
    await page.waitForSelector("#live-steps li");
    const step = await page.textContent("#live-steps li");
    expect(step).toMatch(/^(leaf|spine)\d: \S+/);
    await keep(page, "live");
    await service.queue.idle();
    await page.waitForSelector("#live[hidden]", { state: "attached" });
    // Still the same document: updated in place, not reloaded.
    expect(await page.evaluate(() => performance.timeOrigin)).toBe(loadedAt);
    await expect
      .poll(() => page.textContent('table.switches tr[data-device="leaf1"] td:nth-child(3)'), {
        timeout: 30_000,
      })
      .toBe(sha.slice(0, 10));
    await page.close();
    for (const leaf of ["leaf1", "leaf2", "leaf3", "leaf4"]) await lab.lab.fleet.get(leaf).setFaults([]);
  });
});

describe("run ids and links", () => {
  it("names a run by the same id in the PR comment, the journal and the status page", async () => {
    const comments = [...fake.repo(REPO).comments.values()].flat();
    const plan = comments.find((c) => c.body?.includes("Plan for fabric"));
    const link = plan?.body?.match(/Run \[`([0-9a-f]{8})`\]\((http[^)]+)\) on the status page/);
    expect(link, plan?.body?.slice(-300)).not.toBeNull();
    const [, runId, url] = link!;
    expect(url).toBe(`${service.url}/runs/${runId}`);
    const page = await fetch(url!);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Plan for fabric");
    const journaled = (await lab.journal.read()).filter((r) => r.runId === runId);
    expect(journaled.map((r) => [r.kind, r.event])).toEqual([
      ["plan", "started"],
      ["plan", "finished"],
    ]);
  });

  it("stops showing a PR's pending change once the PR is closed", async () => {
    const pending = () =>
      status
        .view()
        .switches.flatMap((s) => s.pending.map((p) => p.pullNumber))
        .filter((n) => n === 1347);
    const opened = example("pull_request", (p) => p.action === "opened");
    opened.number = 1347;
    opened.pull_request.number = 1347;
    // A PR branch that changes the spines: its plan leaves them pending for PR 1347.
    const git = simpleGit(lab.repo);
    await git.checkoutLocalBranch("pr-1347");
    const sha = await lab.commit(
      "groups/spine.yaml",
      (text) => text.replace("description router-id and BGP source", "description router-id, BGP source"),
      "Reword the spines' loopback description",
    );
    await git.checkout("main");
    opened.pull_request.head.sha = sha;
    await deliver("pull_request", opened);
    await service.queue.idle();
    expect(pending()).toEqual([1347, 1347]);
    const closed = example("pull_request", (p) => p.action === "closed");
    closed.number = 1347;
    closed.pull_request.number = 1347;
    closed.pull_request.base.ref = BRANCH;
    await deliver("pull_request", closed, 200);
    expect(pending()).toEqual([]);
  });
});

describe("status API", () => {
  it("serves the fabric, a switch and the runs as JSON, and 404s for what it does not know", async () => {
    const fabric = (await (await fetch(`${service.url}/api/fabric`)).json()) as FabricView;
    expect(Object.keys(fabric).sort()).toEqual(
      [
        "branch",
        "counts",
        "events",
        "fabric",
        "groups",
        "repo",
        "revision",
        "sections",
        "switches",
        "updatedAt",
      ].sort(),
    );
    expect(fabric.switches.map((s) => s.device)).toEqual([
      "leaf1",
      "leaf2",
      "leaf3",
      "leaf4",
      "spine1",
      "spine2",
    ]);
    const leaf2 = await (await fetch(`${service.url}/api/switches/leaf2`)).json();
    expect(leaf2).toMatchObject({
      device: "leaf2",
      groups: expect.arrayContaining(["leaf"]),
      presence: "online",
    });
    const runs = (await (await fetch(`${service.url}/api/runs`)).json()) as { id: string; report?: string }[];
    expect(runs.length).toBeGreaterThanOrEqual(4);
    expect(runs.every((r) => r.report === undefined)).toBe(true);
    const one = (await (await fetch(`${service.url}/api/runs/${runs[0]!.id}`)).json()) as { report?: string };
    expect(typeof one.report).toBe("string");
    const filtered = (await (await fetch(`${service.url}/api/fabric?group=spine`)).json()) as FabricView;
    expect(filtered.switches.map((s) => s.device)).toEqual(["spine1", "spine2"]);
    expect((await fetch(`${service.url}/api/switches/nope`)).status).toBe(404);
    expect((await fetch(`${service.url}/switches/%E0%A4%A`)).status).toBe(404);
  });

  it("`reconciler status` prints the same view in the terminal", async () => {
    const { main } = await import("../../../reconciler/src/cli/main.ts");
    let out = "";
    const ctx = {
      stdout: (t: string) => {
        out += t;
      },
      stderr: (t: string) => {
        out += t;
      },
      env: {},
      cwd: process.cwd(),
      isTTY: false,
      exitCode: 0,
    };
    const code = await main(["node", "reconciler", "status", "--url", service.url], ctx);
    expect(out).toMatch(/^Fabric securitydemo \(Codertocat\/Hello-World master at [0-9a-f]{10}\)/);
    expect(out).toMatch(/6 switches: \d in sync · \d drifted/);
    const labels: Record<string, string> = {
      "in-sync": "in sync",
      drifted: "drifted",
      unreachable: "unreachable",
    };
    for (const s of status.view().switches)
      expect(out).toMatch(new RegExp(`\\n {2}${s.device} +${labels[s.state] ?? s.state}`));
    expect(out).toContain("Compliance");
    expect(code).toBe(status.view().counts.drifted > 0 ? 3 : 0);
  });
});

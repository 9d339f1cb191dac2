/**
 * The service's status page, in a real headless Chromium (Debian's, driven by playwright-core): the
 * list of recent runs and a run's full report, secrets redacted; the fabric hold and the applies that
 * wait for it.
 */
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FabricView } from "../../../reconciler/src/status/index.ts";
import { BRANCH, commentEvent, example, type Harness, REPO, startHarness } from "./harness.ts";

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
let browser: Browser;
let h: Harness;

beforeAll(async () => {
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
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
  await browser?.close();
});

describe("status page", () => {
  it("lists recent runs and shows a run's full report with secrets redacted", async () => {
    const event = example("pull_request", (p) => p.action === "opened");
    // GitHub fails to take the comment, so the plan status links to the run's page instead.
    h.fake.fail({ method: "POST", path: /\/issues\/\d+\/comments$/, status: 422 });
    expect((await h.deliver("pull_request", event)).status).toBe(202);
    await h.service.queue.idle();

    const page = await browser.newPage();
    await page.goto(`${h.service.url}/runs`);
    expect(await page.title()).toBe(`reconciler runs: ${REPO}`);
    const row = page.locator("#runs tbody tr").first();
    expect(await row.locator("td").nth(1).textContent()).toBe("plan");
    expect(await row.locator("td").nth(5).textContent()).toBe("changes");
    expect(await row.locator("td").nth(2).textContent()).toBe(`pull-request #${event.number}`);

    await row.locator("a").click();
    await page.waitForURL(/\/runs\//);
    const report = await page.locator("main pre").textContent();
    expect(report).toContain("Plan for fabric lab");
    expect(report).toContain("username ops secret <redacted>");
    expect(await page.content()).not.toContain("hunter2");

    const runUrl = page.url();
    const status = [...h.fake.repo(REPO).statuses.values()]
      .flat()
      .filter((s) => s.context === "reconciler/plan")
      .at(-1);
    expect(status?.state).toBe("success");
    expect(status?.target_url).toBe(runUrl);
    await page.close();
  });

  it("answers 404 for a run it does not know", async () => {
    const page = await browser.newPage();
    const response = await page.goto(`${h.service.url}/runs/nope`);
    expect(response?.status()).toBe(404);
    expect(await page.textContent("body")).toContain("No such run");
    await page.close();
  });
});

describe("status page: the fabric hold", () => {
  it("shows which PR holds the fabric, by whom, since when, and the apply that waits; and its JSON", async () => {
    const HEAD_10 = "1".repeat(40);
    const PUSHED = "2".repeat(40);
    const held = await startHarness({ workflow: { applyBeforeMerge: true }, headOf: async () => PUSHED });
    try {
      held.fake.repo(REPO).roles.set("alice", "write");
      held.fake.addPull(REPO, { number: 10, headSha: HEAD_10, baseRef: BRANCH });
      await held.deliver("issue_comment", commentEvent(10, "/reconciler apply", "alice"));
      await held.service.queue.idle();
      const push = example("push", (p) => p.ref === `refs/heads/${BRANCH}`);
      push.after = PUSHED;
      await held.deliver("push", push);
      await held.service.queue.idle();

      const api = (await (await fetch(`${held.service.url}/api/fabric`)).json()) as FabricView;
      expect(api.hold).toEqual({
        pullNumber: 10,
        sha: HEAD_10,
        by: "alice",
        since: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        runId: held.runner.runIds[0],
        deferred: { shas: [PUSHED], pulls: [], since: expect.stringMatching(/^\d{4}-/) },
      });

      const page = await browser.newPage();
      await page.goto(held.service.url);
      const panel = page.getByRole("region", { name: "Fabric held by PR #10" });
      expect(await panel.isVisible()).toBe(true);
      const facts = await panel
        .locator("dl")
        .evaluate((dl) =>
          [...dl.querySelectorAll("dt")].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]),
        );
      expect(facts).toEqual([
        ["Applied revision", "1111111111"],
        ["Applied by", "@alice"],
        ["Since", api.hold!.since.replace("T", " ").replace(/\.\d+Z$/, "Z")],
        ["Run", api.hold!.runId],
      ]);
      expect(await panel.locator("#hold-deferred").textContent()).toMatch(
        /^Applies of master waiting since .+: 2222222222\. They are applied when the hold ends\.$/,
      );
      // The run link leads to the apply that took the hold.
      await panel.getByRole("link", { name: api.hold!.runId }).click();
      await page.waitForURL(/\/runs\//);
      expect(await page.locator("main").textContent()).toContain(
        `command run ${api.hold!.runId}Trigger comment (PR #10), revision ${HEAD_10}`,
      );

      // Merged: the hold is gone from the page and the JSON.
      const closed = example("pull_request", (p) => p.action === "closed");
      closed.number = 10;
      closed.pull_request.number = 10;
      closed.pull_request.base.ref = BRANCH;
      closed.pull_request.merged = true;
      await held.deliver("pull_request", closed);
      await held.service.queue.idle();
      await page.goto(held.service.url);
      expect(await page.locator("#hold").count()).toBe(0);
      expect(
        ((await (await fetch(`${held.service.url}/api/fabric`)).json()) as FabricView).hold,
      ).toBeUndefined();
      await page.close();
    } finally {
      await held.close();
    }
  });
});

/**
 * The service's status page, in a real headless Chromium (Debian's, driven by playwright-core): the
 * list of recent runs and a run's full report, secrets redacted.
 */
import { type Browser, chromium } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { example, type Harness, REPO, startHarness } from "./harness.ts";

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

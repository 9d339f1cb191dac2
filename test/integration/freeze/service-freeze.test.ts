/**
 * Freeze windows in the service: a merged PR's apply refused inside the window (its comment and
 * status say which window, until when and why), the override by a `freeze-override` label plus an
 * admin's `/reconciler apply` comment (journaled with who and why), and the same apply outside the
 * window. Real runner, git, Prosody and simulated switches; fake GitHub with signed webhooks; the
 * runner's clock is set by the test.
 */
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { Clock } from "../../../reconciler/src/freeze/index.ts";
import { commentEvent, example, type Harness, REPO, startHarness } from "../github/harness.ts";
import { type FabricLab, outdated, startFabricLab } from "../support/fabric-lab.ts";

const weekendFreeze = `  freeze:
    - name: weekend
      reason: nobody on call for the core over the weekend
      cron: "0 18 * * 5"
      duration: 62h
      timeZone: Europe/Berlin
`;
const SATURDAY = "2026-11-28T10:00:00Z";
const WEDNESDAY = "2026-11-25T10:00:00Z";
let now = SATURDAY;
const clock: Clock = { now: () => new Date(now) };

let lab: FabricLab;
let h: Harness;
let head: string;
beforeAll(async () => {
  lab = await startFabricLab({
    running: outdated,
    editFabricYaml: (text) =>
      text.replace("  stopOnFailure: true\n", `  stopOnFailure: true\n${weekendFreeze}`),
  });
  head = (await simpleGit(lab.repo).revparse(["HEAD"])).trim();
  h = await startHarness({
    runner: lab.runner({ clock }),
    workflow: {},
    headOf: async () => head,
  });
  const repo = h.fake.repo(REPO);
  repo.roles.set("alice", "write");
  repo.roles.set("olga", "admin");
  h.fake.addPull(REPO, { number: 7, headSha: "7".repeat(40), baseRef: "master", merged: true });
  h.fake.addCommit(REPO, { sha: head, message: "Merge pull request #7", paths: [], pulls: [7] });
}, 60_000);
afterAll(async () => {
  await h?.close();
  await lab?.cleanup();
});
beforeEach(async () => {
  await lab.reset(outdated);
  now = SATURDAY;
  h.fake.repo(REPO).pulls.get(7)!.labels = [];
});

const leaf1 = () => lab.lab.fleet.get("leaf1").runningConfig();
const lastFinished = async () => (await lab.journal.read()).filter((r) => r.event === "finished").at(-1)!;
const comments = () => (h.fake.repo(REPO).comments.get(7) ?? []).map((c) => c.body ?? "");
const applyStatus = () => h.fake.repo(REPO).statuses.get(head)?.at(-1);

async function push(): Promise<void> {
  const event = example("push", (p) => p.ref === "refs/heads/master");
  event.after = head;
  expect((await h.deliver("push", event)).status).toBe(202);
  await h.service.queue.idle();
}
async function say(body: string, login: string): Promise<void> {
  expect((await h.deliver("issue_comment", commentEvent(7, body, login))).status).toBe(202);
  await h.service.queue.idle();
}

describe("a change freeze in the service", () => {
  it("refuses the merge's apply inside the window: the comment and status name it, until when and why", async () => {
    await push();
    const apply = comments().find((b) => b.includes(`"key":"apply-${head}"`))!;
    expect(apply).toContain("could not run: `frozen`");
    expect(apply).toContain(
      "| weekend | 2026-11-30 08:00 Europe/Berlin (`2026-11-30T07:00:00.000Z`) | nobody on call for the core over the weekend |",
    );
    expect(applyStatus()).toMatchObject({
      context: "reconciler/apply",
      state: "error",
      description:
        'change freeze "weekend" until 2026-11-30 08:00 Europe/Berlin: nobody on call for the core over the weekend',
    });
    expect(leaf1()).toContain("ntp server 10.250.0.99 iburst");
  });

  it("does not lift the freeze for the label without an admin, nor for an admin without the label", async () => {
    h.fake.repo(REPO).pulls.get(7)!.labels = ["freeze-override"];
    await say("/reconciler apply INC-4711", "alice");
    expect(comments().at(-1)).toContain(
      "The `freeze-override` label lifts a freeze only with an apply comment by an admin; @alice has write.",
    );
    h.fake.repo(REPO).pulls.get(7)!.labels = [];
    await say("/reconciler apply INC-4711", "olga");
    expect(await lastFinished()).toMatchObject({ kind: "apply", outcome: "refused" });
    expect(leaf1()).toContain("ntp server 10.250.0.99 iburst");
  });

  it("applies inside the window for the label plus an admin's comment, and journals who and why", async () => {
    h.fake.repo(REPO).pulls.get(7)!.labels = ["freeze-override"];
    await say("/reconciler apply INC-4711 core outage", "olga");
    expect(leaf1()).toContain("ntp server 10.250.0.11 iburst");
    expect(await lastFinished()).toMatchObject({
      kind: "apply",
      trigger: "comment",
      outcome: "succeeded",
      freezeOverride: { by: "olga (GitHub, #7)", reason: "INC-4711 core outage", windows: ["weekend"] },
    });
    expect(comments().find((b) => b.includes(`"key":"apply-${head}"`))).toContain("**succeeded**");
    expect(applyStatus()).toMatchObject({ state: "success" });
  });

  it("applies outside the window with no override", async () => {
    now = WEDNESDAY;
    await say("/reconciler apply", "alice");
    expect(leaf1()).toContain("ntp server 10.250.0.11 iburst");
    const record = await lastFinished();
    expect(record).toMatchObject({ kind: "apply", outcome: "succeeded" });
    expect(record.freezeOverride).toBeUndefined();
  });
});

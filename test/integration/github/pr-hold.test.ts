/**
 * The visible fabric hold: a PR applied before merge holds the fabric (a file in the state dir) until
 * it is merged or closed. Two PRs compete for it across a restart of the service, against the fake
 * GitHub with signed webhooks.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type FakeGithub, startFakeGithub } from "../../fakes/github/server.ts";
import { BRANCH, commentEvent, example, type Harness, REPO, startHarness } from "./harness.ts";

const MAIN = "b".repeat(40);
const HEAD_10 = "1".repeat(40);
const HEAD_11 = "2".repeat(40);

let h: Harness | undefined;
let fake: FakeGithub | undefined;
afterEach(async () => {
  await h?.close();
  await fake?.close();
  h = fake = undefined;
  head = MAIN;
});

let head = MAIN;
/** `history`: each head's ancestors, as git would tell them (hold-deferral.test.ts asks real git). */
async function serve(holdFile: string, history: Record<string, string[]> = {}) {
  h = await startHarness({
    workflow: { applyBeforeMerge: true },
    fake,
    holdFile,
    headOf: async () => head,
    contains: async (commit, sha) => commit === sha || (history[commit] ?? []).includes(sha),
  });
  return h;
}

async function say(pull: number, body: string, login = "alice") {
  expect((await h!.deliver("issue_comment", commentEvent(pull, body, login))).status).toBe(202);
  await h!.service.queue.idle();
}

function pullEvent(
  action: "opened" | "closed",
  number: number,
  sha: string,
  merged = false,
  mergeSha?: string,
) {
  const event = example("pull_request", (p) => p.action === action);
  event.number = number;
  event.pull_request.number = number;
  event.pull_request.head.sha = sha;
  event.pull_request.base.ref = BRANCH;
  event.pull_request.merged = merged;
  event.pull_request.merge_commit_sha = mergeSha ?? null;
  return event;
}

function pushEvent(sha: string) {
  const event = example("push", (p) => p.ref === `refs/heads/${BRANCH}`);
  event.after = sha;
  return event;
}

const applyStatuses = (sha: string) =>
  (fake!.repo(REPO).statuses.get(sha) ?? [])
    .filter((s) => s.context === "reconciler/apply")
    .map((s) => [s.state, s.description]);

const bodies = (pull: number) => (fake!.repo(REPO).comments.get(pull) ?? []).map((c) => c.body ?? "");
const lastReply = (pull: number) =>
  bodies(pull)
    .filter((b) => b.includes('"key":"reply"'))
    .at(-1) ?? "";
const held = async (file: string) =>
  JSON.parse(await readFile(file, "utf8").catch(() => "null")) as { pullNumber: number } | null;

describe("two PRs and the fabric hold", () => {
  it("keeps the hold across a restart, refuses the other PR naming the holder, and frees it on merge", async () => {
    fake = await startFakeGithub();
    for (const login of ["alice", "bob"]) fake.repo(REPO).roles.set(login, "write");
    fake.addPull(REPO, { number: 10, headSha: HEAD_10, baseRef: BRANCH });
    fake.addPull(REPO, { number: 11, headSha: HEAD_11, baseRef: BRANCH });
    const holdFile = join(await mkdtemp(join(tmpdir(), "hold-")), "pr-hold.json");

    await serve(holdFile);
    await say(10, "/reconciler apply");
    expect(await held(holdFile)).toMatchObject({ pullNumber: 10, sha: HEAD_10, by: "alice" });
    await h!.close();

    // A new process: the hold comes back from the state dir.
    await serve(holdFile);
    await h!.deliver("pull_request", pullEvent("opened", 11, HEAD_11));
    await h!.service.queue.idle();
    const plan = bodies(11).find((b) => b.includes('"key":"plan"'))!;
    expect(plan).toContain(
      "The fabric is held by #10: its change (1111111, applied by @alice) is on the switches but not merged.",
    );
    await say(11, "/reconciler apply", "bob");
    expect(lastReply(11)).toContain(
      "Not applied: the fabric is held by #10, whose change (1111111, applied by @alice) is on the switches but not merged.",
    );
    await say(11, "/reconciler unlock", "bob");
    expect(lastReply(11)).toContain("This PR does not hold the fabric; #10 does");
    expect(h!.runner.calls.filter((c) => c.op === "apply")).toEqual([]);
    expect(await held(holdFile)).toMatchObject({ pullNumber: 10 });

    // #10 is merged: the hold goes, and the push applies the tracked branch as always.
    expect((await h!.deliver("pull_request", pullEvent("closed", 10, HEAD_10, true))).status).toBe(202);
    await h!.service.queue.idle();
    expect(await held(holdFile)).toBeNull();
    expect(h!.runner.calls.filter((c) => c.op === "apply")).toEqual([]);

    await say(11, "/reconciler apply", "bob");
    expect(h!.runner.calls.filter((c) => c.op === "apply")).toEqual([
      { op: "apply", trigger: "comment", rev: HEAD_11 },
    ]);
    expect(await held(holdFile)).toMatchObject({ pullNumber: 11, by: "bob" });
    // Its own plan carries no note.
    await h!.deliver("pull_request", pullEvent("opened", 11, HEAD_11));
    await h!.service.queue.idle();
    expect(bodies(11).find((b) => b.includes('"key":"plan"'))).not.toContain("The fabric is held");
  });

  it("puts the switches back to the tracked branch when the holding PR is closed unmerged", async () => {
    fake = await startFakeGithub();
    fake.repo(REPO).roles.set("alice", "write");
    fake.addPull(REPO, { number: 10, headSha: HEAD_10, baseRef: BRANCH });
    const holdFile = join(await mkdtemp(join(tmpdir(), "hold-")), "pr-hold.json");
    await serve(holdFile);
    // The tracked branch was applied before: the revert runs all the same.
    h!.service.queue.request({ kind: "apply", trigger: "push", sha: MAIN });
    await h!.service.queue.idle();
    await say(10, "/reconciler apply");
    expect((await h!.deliver("pull_request", pullEvent("closed", 10, HEAD_10))).status).toBe(202);
    await h!.service.queue.idle();
    expect(await held(holdFile)).toBeNull();
    expect(h!.runner.calls.filter((c) => c.op === "apply").map((c) => [c.trigger, c.rev])).toEqual([
      ["push", MAIN],
      ["comment", HEAD_10],
      ["pull-request", MAIN],
    ]);
    expect(lastReply(10)).toContain(
      "Closed without merging: its hold on the fabric is released, and the switches go back to `master` (bbbbbbb).",
    );
  });

  it("needs no run when a PR that holds nothing is closed", async () => {
    fake = await startFakeGithub();
    const holdFile = join(await mkdtemp(join(tmpdir(), "hold-")), "pr-hold.json");
    await serve(holdFile);
    await h!.deliver("pull_request", pullEvent("closed", 12, "3".repeat(40)));
    await h!.service.queue.idle();
    expect(h!.runner.calls).toEqual([]);
    expect(h!.service.recent.list()).toEqual([]);
  });

  it("defers another PR's merge while held, and applies the head once the holder's own merge comes", async () => {
    fake = await startFakeGithub();
    fake.repo(REPO).roles.set("alice", "write");
    fake.addPull(REPO, { number: 10, headSha: HEAD_10, baseRef: BRANCH });
    fake.addPull(REPO, { number: 11, headSha: HEAD_11, baseRef: BRANCH });
    const holdFile = join(await mkdtemp(join(tmpdir(), "hold-")), "pr-hold.json");
    await serve(holdFile);
    await say(10, "/reconciler apply");

    // #11 merged as MERGED_11: its closed event first, then its push (GitHub keeps no order).
    const MERGED_11 = "c".repeat(40);
    head = MERGED_11;
    await h!.deliver("pull_request", pullEvent("closed", 11, HEAD_11, true, MERGED_11));
    await h!.service.queue.idle();
    await h!.deliver("push", pushEvent(MERGED_11));
    await h!.service.queue.idle();
    expect(h!.runner.calls.filter((c) => c.op === "apply").map((c) => c.rev)).toEqual([HEAD_10]);
    expect(applyStatuses(MERGED_11)).toEqual([
      [
        "pending",
        "not applied yet: the fabric is held by #10 (1111111, applied by @alice); applies when #10 is merged, closed or unlocked",
      ],
    ]);
    expect(lastReply(11)).toContain("Merged, but not applied yet: the fabric is held by #10");
    expect(await held(holdFile)).toMatchObject({ deferred: { shas: [MERGED_11], pulls: [11] } });

    // A poll of the same head, and a drift check, change nothing: no second status, no heal.
    h!.service.queue.request({ kind: "apply", trigger: "poll", sha: MERGED_11 });
    h!.service.queue.request({ kind: "drift", trigger: "schedule", heal: true });
    await h!.service.queue.idle();
    expect(applyStatuses(MERGED_11)).toHaveLength(1);
    const drift = h!.runner.calls.find((c) => c.op === "drift")!;
    expect(drift.healBlocked).toMatchObject({ code: "held" });
    expect(drift.healBlocked?.message).toContain("the fabric is held by #10 (1111111, applied by @alice)");

    // #10's own merge, squashed (MERGED_10 does not contain HEAD_10): the push comes before the
    // closed event, and waits; the release applies it.
    const MERGED_10 = "d".repeat(40);
    head = MERGED_10;
    await h!.deliver("push", pushEvent(MERGED_10));
    await h!.service.queue.idle();
    expect(h!.runner.calls.filter((c) => c.op === "apply")).toHaveLength(1);
    await h!.deliver("pull_request", pullEvent("closed", 10, HEAD_10, true, MERGED_10));
    await h!.service.queue.idle();
    expect(await held(holdFile)).toBeNull();
    expect(h!.runner.calls.filter((c) => c.op === "apply").map((c) => [c.trigger, c.rev])).toEqual([
      ["comment", HEAD_10],
      ["pull-request", MERGED_10],
    ]);
    expect(applyStatuses(MERGED_10).at(-1)?.[0]).toBe("success");
    expect(applyStatuses(MERGED_11).at(-1)).toEqual([
      "success",
      expect.stringMatching(/^applied with ddddddd: /),
    ]);
    expect(lastReply(11)).toContain(
      "The apply that waited for the fabric hold ran: ddddddd, with this PR's change, is on the switches",
    );
  });

  it("applies the holder's merge at its push, before its closed event, and not again at that event", async () => {
    fake = await startFakeGithub();
    fake.repo(REPO).roles.set("alice", "write");
    fake.addPull(REPO, { number: 10, headSha: HEAD_10, baseRef: BRANCH });
    const holdFile = join(await mkdtemp(join(tmpdir(), "hold-")), "pr-hold.json");
    const MERGED_10 = "d".repeat(40);
    await serve(holdFile, { [MERGED_10]: [HEAD_10, MAIN] });
    await say(10, "/reconciler apply");

    head = MERGED_10;
    await h!.deliver("push", pushEvent(MERGED_10));
    await h!.service.queue.idle();
    expect(await held(holdFile)).toBeNull();
    expect(h!.runner.calls.filter((c) => c.op === "apply").map((c) => [c.trigger, c.rev])).toEqual([
      ["comment", HEAD_10],
      ["push", MERGED_10],
    ]);
    expect(applyStatuses(MERGED_10).at(-1)?.[0]).toBe("success");

    const runs = h!.service.recent.list().length;
    await h!.deliver("pull_request", pullEvent("closed", 10, HEAD_10, true, MERGED_10));
    await h!.service.queue.idle();
    expect(h!.runner.calls.filter((c) => c.op === "apply")).toHaveLength(2);
    expect(h!.service.recent.list()).toHaveLength(runs);
  });
});

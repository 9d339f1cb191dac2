/**
 * While a PR's applied-but-unmerged change holds the fabric, applies of the tracked branch wait: the
 * branch head lacks that change, and applying it would silently take it off the switches. Real
 * runner, git, Prosody and simulated switches; the fake GitHub with signed webhooks; a service
 * restart in the middle. Closing the holder puts the switches back to the branch, with what waited;
 * unlocking applies what waited; the holder's merge, pushed before its closed event, is applied once,
 * and that late event starts nothing even when another PR holds the fabric by then.
 */
import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type SimpleGit, simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitSource } from "../../../reconciler/src/source/index.ts";
import type { FabricView } from "../../../reconciler/src/status/index.ts";
import { type FakeGithub, startFakeGithub } from "../../fakes/github/server.ts";
import { type FabricLab, startFabricLab } from "../support/fabric-lab.ts";
import { BRANCH, commentEvent, example, type Harness, REPO, startHarness } from "./harness.ts";

let lab: FabricLab;
let git: SimpleGit;
let fake: FakeGithub;
let holdFile: string;
let h: Harness | undefined;

const head = async () => (await git.revparse(["main"])).trim();

beforeAll(async () => {
  // selfHeal on: a scheduled drift check would heal, were the fabric not held.
  lab = await startFabricLab({ editFabricYaml: (text) => text.replace("selfHeal: false", "selfHeal: true") });
  git = simpleGit(lab.repo);
  fake = await startFakeGithub();
  fake.repo(REPO).roles.set("alice", "write");
  holdFile = join(await mkdtemp(join(tmpdir(), "hold-")), "pr-hold.json");
}, 60_000);
afterAll(async () => {
  await h?.close();
  await fake?.close();
  await lab?.cleanup();
});

async function serve(): Promise<Harness> {
  await h?.close();
  h = await startHarness({
    runner: lab.runner(),
    workflow: { applyBeforeMerge: true },
    fake,
    holdFile,
    headOf: head,
    contains: (sha, ancestor) =>
      gitSource({ source: lab.repo, cacheDir: join(dirname(holdFile), "cache") }).contains(sha, ancestor),
  });
  return h;
}

/** A PR branch off main that edits one file; main is checked out again. */
async function branch(name: string, file: string, edit: (text: string) => string): Promise<string> {
  await git.checkoutLocalBranch(name);
  const sha = await lab.commit(file, edit, `Change ${file} on ${name}`);
  await git.checkout("main");
  return sha;
}

async function say(pull: number, body: string): Promise<void> {
  expect((await h!.deliver("issue_comment", commentEvent(pull, body, "alice"))).status).toBe(202);
  await h!.service.queue.idle();
}

async function push(sha: string): Promise<void> {
  const event = example("push", (p) => p.ref === "refs/heads/master");
  event.after = sha;
  expect((await h!.deliver("push", event)).status).toBe(202);
  await h!.service.queue.idle();
}

async function closed(number: number, merged: boolean, mergeSha?: string): Promise<void> {
  const event = example("pull_request", (p) => p.action === "closed");
  event.number = number;
  event.pull_request.number = number;
  event.pull_request.base.ref = BRANCH;
  event.pull_request.merged = merged;
  event.pull_request.merge_commit_sha = mergeSha ?? null;
  fake.repo(REPO).pulls.get(number)!.state = "closed";
  fake.repo(REPO).pulls.get(number)!.merged = merged;
  expect((await h!.deliver("pull_request", event)).status).toBe(202);
  await h!.service.queue.idle();
}

const running = (device: string) => lab.lab.fleet.get(device).runningConfig();
const comments = (pull: number) => (fake.repo(REPO).comments.get(pull) ?? []).map((c) => c.body ?? "");
const applyStatus = (sha: string) =>
  fake
    .repo(REPO)
    .statuses.get(sha)
    ?.filter((s) => s.context === "reconciler/apply")
    .at(-1);
const finishedApplies = async () =>
  (await lab.journal.read()).filter((r) => r.event === "finished" && r.kind === "apply");
const held = async () => JSON.parse(await readFile(holdFile, "utf8").catch(() => "null"));
const view = async () => (await (await fetch(`${h!.service.url}/api/fabric`)).json()) as FabricView;

const PR_A = 10;
const PR_B = 11;

describe("applies of the tracked branch while a PR holds the fabric", () => {
  it("waits for the holder; closing it unmerged applies the branch with what waited, across a restart", async () => {
    await serve();
    const shaA = await branch("topic-a", "devices/leaf1.yaml", (t) =>
      t.replace("description jump server (SERVERS)", "description jump server (PR A)"),
    );
    fake.addPull(REPO, { number: PR_A, headSha: shaA, baseRef: BRANCH });
    await say(PR_A, "/reconciler apply");
    expect(running("leaf1")).toContain("description jump server (PR A)");
    expect(await held()).toMatchObject({ pullNumber: PR_A, sha: shaA, by: "alice" });

    // PR B is merged into main meanwhile: GitHub sends its push and its closed event.
    const shaB = await lab.commit(
      "devices/leaf2.yaml",
      (t) => `${t}\nconfig: |\n  vlan 3901\n     name from-pr-b\n`,
      "Merge pull request #11: a VLAN on leaf2",
    );
    fake.addPull(REPO, { number: PR_B, headSha: "b".repeat(40), baseRef: BRANCH });
    await push(shaB);
    await closed(PR_B, true, shaB);
    expect(running("leaf1")).toContain("description jump server (PR A)");
    expect(running("leaf2")).not.toContain("vlan 3901");
    expect(applyStatus(shaB)).toMatchObject({
      state: "pending",
      description:
        "not applied yet: the fabric is held by #10 (" +
        `${shaA.slice(0, 7)}, applied by @alice); applies when #10 is merged, closed or unlocked`,
    });
    expect(comments(PR_B).at(-1)).toContain(
      `Merged, but not applied yet: the fabric is held by #10 (${shaA.slice(0, 7)}, applied by @alice), whose change is on the switches but not in \`master\`.`,
    );
    expect(await held()).toMatchObject({ pullNumber: PR_A, deferred: { shas: [shaB], pulls: [PR_B] } });

    // A scheduled check with selfHeal finds the held change as drift, but does not heal it away.
    h!.service.queue.request({ kind: "drift", trigger: "schedule", heal: true });
    await h!.service.queue.idle();
    expect(running("leaf1")).toContain("description jump server (PR A)");
    const drift = (await lab.journal.read()).filter((r) => r.event === "finished").at(-1)!;
    expect(drift).toMatchObject({ kind: "drift", outcome: "heal-held" });
    const report = h!.service.recent.list()[0]!;
    expect(report).toMatchObject({ kind: "drift", outcome: "drift" });
    expect(h!.service.recent.get(report.id)?.report).toContain(
      "note: The fabric is held by #10 (" + `${shaA.slice(0, 7)}, applied by @alice at`,
    );

    // A new process: the hold and what waits for it come back from the state dir.
    await serve();
    expect((await view()).hold).toMatchObject({
      pullNumber: PR_A,
      sha: shaA,
      by: "alice",
      deferred: { shas: [shaB], pulls: [PR_B] },
    });
    await push(shaB);
    expect(running("leaf2")).not.toContain("vlan 3901");

    // PR A is closed unmerged: the switches go back to main, which has PR B's change.
    await closed(PR_A, false);
    expect(await held()).toBeNull();
    expect(running("leaf1")).toContain("description jump server (SERVERS)");
    expect(running("leaf1")).not.toContain("PR A");
    expect(running("leaf2")).toMatch(/vlan 3901\n\s+name from-pr-b/);
    expect(applyStatus(shaB)).toMatchObject({ state: "success" });
    expect(comments(PR_A).at(-1)).toContain(
      `Closed without merging: its hold on the fabric is released, and the switches go back to \`master\` (${shaB.slice(0, 7)}) (with #11, merged while it held the fabric).`,
    );
    expect(comments(PR_B).at(-1)).toContain(
      `The apply that waited for the fabric hold ran: ${shaB.slice(0, 7)}, with this PR's change, is on the switches`,
    );
    expect((await view()).hold).toBeUndefined();
  }, 120_000);

  it("applies what waited when the holder is unlocked, and says so in the reply", async () => {
    await serve();
    const shaC = await branch("topic-c", "devices/leaf1.yaml", (t) =>
      t.replace("description jump server (SERVERS)", "description jump server (PR C)"),
    );
    fake.addPull(REPO, { number: 12, headSha: shaC, baseRef: BRANCH });
    await say(12, "/reconciler apply");
    expect(running("leaf1")).toContain("description jump server (PR C)");

    // A direct push to main, no PR: it waits too.
    const shaD = await lab.commit(
      "devices/leaf2.yaml",
      (t) => t.replace("name from-pr-b", "name from-a-push"),
      "Rename the VLAN",
    );
    await push(shaD);
    expect(running("leaf2")).toContain("name from-pr-b");
    expect(applyStatus(shaD)).toMatchObject({ state: "pending" });

    await say(12, "/reconciler unlock");
    expect(comments(12).at(-1)).toContain(
      `@alice released this PR's hold on the fabric. Applies of \`master\` waited for it: \`master\` (${shaD.slice(0, 7)}) is applied now (queued)`,
    );
    expect(await held()).toBeNull();
    expect(running("leaf2")).toContain("name from-a-push");
    expect(running("leaf1")).not.toContain("PR C");
    expect(applyStatus(shaD)).toMatchObject({ state: "success" });
  }, 120_000);

  it("applies the holder's merge when its push comes before its closed event, and only once", async () => {
    await serve();
    const shaE = await branch("topic-e", "devices/leaf1.yaml", (t) =>
      t.replace("description jump server (SERVERS)", "description jump server (PR E)"),
    );
    fake.addPull(REPO, { number: 13, headSha: shaE, baseRef: BRANCH });
    await say(13, "/reconciler apply");
    expect(running("leaf1")).toContain("description jump server (PR E)");

    // PR F is merged while PR E holds the fabric: its apply waits.
    const shaF = await lab.commit(
      "devices/leaf2.yaml",
      (t) => t.replace("name from-a-push", "name from-pr-f"),
      "Merge pull request #14: rename the VLAN",
    );
    fake.addPull(REPO, { number: 14, headSha: "f".repeat(40), baseRef: BRANCH });
    await push(shaF);
    await closed(14, true, shaF);
    expect(running("leaf2")).toContain("name from-a-push");

    // PR E is merged with a merge commit; GitHub delivers the push first.
    await git.merge(["--no-ff", "-m", "Merge pull request #13: leaf1's jump server", "topic-e"]);
    const merge = await head();
    const before = (await finishedApplies()).length;
    await push(merge);
    expect(await held()).toBeNull();
    expect(running("leaf1")).toContain("description jump server (PR E)");
    expect(running("leaf2")).toContain("name from-pr-f");
    const applies = await finishedApplies();
    expect(applies).toHaveLength(before + 1);
    expect(applies.at(-1)).toMatchObject({ outcome: "succeeded", revision: { sha: merge } });
    expect(applyStatus(merge)).toMatchObject({ state: "success" });
    // What waited for the hold is settled by this apply.
    expect(applyStatus(shaF)).toMatchObject({ state: "success" });
    expect(applyStatus(shaF)?.description).toContain(`applied with ${merge.slice(0, 7)}`);
    expect(comments(14).at(-1)).toContain(
      `The apply that waited for the fabric hold ran: ${merge.slice(0, 7)}, with this PR's change, is on the switches`,
    );
    expect((await view()).hold).toBeUndefined();

    // Its closed event comes later: there is no hold to release, and nothing is applied again.
    const runs = h!.service.recent.list().length;
    await closed(13, true, merge);
    expect(await finishedApplies()).toHaveLength(before + 1);
    expect(h!.service.recent.list()).toHaveLength(runs);
    expect(await held()).toBeNull();
  }, 120_000);

  it("ignores the late closed event of a merge already applied, when another PR holds the fabric by then", async () => {
    await serve();
    const shaG = await branch("topic-g", "devices/leaf1.yaml", (t) =>
      t.replace("description jump server (PR E)", "description jump server (PR G)"),
    );
    fake.addPull(REPO, { number: 15, headSha: shaG, baseRef: BRANCH });
    await say(15, "/reconciler apply");
    await git.merge(["--no-ff", "-m", "Merge pull request #15: leaf1's jump server", "topic-g"]);
    const mergeG = await head();
    await push(mergeG);
    expect(await held()).toBeNull();
    expect(applyStatus(mergeG)).toMatchObject({ state: "success" });

    // PR H, branched off main after #15's merge, is applied before merge and holds the fabric.
    const shaH = await branch("topic-h", "devices/leaf2.yaml", (t) =>
      t.replace("name from-pr-f", "name from-pr-h"),
    );
    fake.addPull(REPO, { number: 16, headSha: shaH, baseRef: BRANCH });
    await say(16, "/reconciler apply");
    expect(running("leaf2")).toContain("name from-pr-h");
    const hold = await held();
    expect(hold).toMatchObject({ pullNumber: 16, sha: shaH });

    // #15's closed event arrives only now: its merge is on the switches, inside #16's applied head.
    const runs = h!.service.recent.list().length;
    const replies = comments(15).length;
    await closed(15, true, mergeG);
    expect(h!.service.recent.list()).toHaveLength(runs);
    expect(comments(15)).toHaveLength(replies);
    expect(await held()).toEqual(hold);
    expect(applyStatus(mergeG)).toMatchObject({ state: "success" });
    expect(running("leaf1")).toContain("description jump server (PR G)");
  }, 120_000);
});

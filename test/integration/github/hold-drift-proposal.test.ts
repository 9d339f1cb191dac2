/**
 * A drift proposal merged while another PR holds the fabric waits like any other merge: its commit
 * status says pending, and the PR hears who holds the fabric and what will apply it. Real runner,
 * git, Prosody and simulated switches; the fake GitHub with signed webhooks.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type SimpleGit, simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitSource } from "../../../reconciler/src/source/index.ts";
import { type FabricLab, startFabricLab } from "../support/fabric-lab.ts";
import { BRANCH, commentEvent, example, type Harness, REPO, startHarness } from "./harness.ts";

let lab: FabricLab;
let git: SimpleGit;
let h: Harness;
const head = async () => (await git.revparse(["main"])).trim();

beforeAll(async () => {
  lab = await startFabricLab();
  git = simpleGit(lab.repo);
  const cacheDir = join(await mkdtemp(join(tmpdir(), "hold-proposal-")), "cache");
  h = await startHarness({
    runner: lab.runner(),
    workflow: { applyBeforeMerge: true },
    headOf: head,
    contains: (sha, ancestor) => gitSource({ source: lab.repo, cacheDir }).contains(sha, ancestor),
    driftProposals: { source: lab.repo },
  });
  h.fake.repo(REPO).roles.set("alice", "write");
}, 60_000);
afterAll(async () => {
  await h?.close();
  await lab?.cleanup();
});

const comments = (pull: number) => (h.fake.repo(REPO).comments.get(pull) ?? []).map((c) => c.body ?? "");
const applyStatus = (sha: string) =>
  h.fake
    .repo(REPO)
    .statuses.get(sha)
    ?.filter((s) => s.context === "reconciler/apply")
    .at(-1);

async function closed(pull: number, merged: boolean, mergeSha?: string): Promise<void> {
  const event = example("pull_request", (p) => p.action === "closed");
  event.number = pull;
  event.pull_request.number = pull;
  event.pull_request.base.ref = BRANCH;
  event.pull_request.merged = merged;
  event.pull_request.merge_commit_sha = mergeSha ?? null;
  event.sender.login = "alice";
  h.fake.repo(REPO).pulls.get(pull)!.state = "closed";
  expect((await h.deliver("pull_request", event)).status).toBe(202);
  await h.service.queue.idle();
}

describe("a drift proposal merged while another PR holds the fabric", () => {
  it("waits for the hold with a reply naming the holder, and hears when the apply ran", async () => {
    lab.lab.fleet.get("leaf2").drift(["vlan 3999", "   name out-of-band"]);
    h.service.requestDriftCheck();
    await h.service.queue.idle();
    const proposal = [...h.fake.repo(REPO).pulls.values()].find((p) => p.state === "open")!;
    expect(proposal.headRef).toMatch(/^reconciler\/drift-/);

    // PR 10 is applied before merge and holds the fabric.
    await git.checkoutLocalBranch("topic-hold");
    const held = await lab.commit(
      "devices/leaf1.yaml",
      (t) => t.replace("description jump server (SERVERS)", "description jump server (PR 10)"),
      "Change leaf1's jump server",
    );
    await git.checkout("main");
    h.fake.addPull(REPO, { number: 10, headSha: held, baseRef: BRANCH });
    expect((await h.deliver("issue_comment", commentEvent(10, "/reconciler apply", "alice"))).status).toBe(
      202,
    );
    await h.service.queue.idle();

    // The proposal is merged: its push and its closed event.
    await git.merge(["--ff-only", proposal.headRef]);
    const merged = await head();
    const push = example("push", (p) => p.ref === "refs/heads/master");
    push.after = merged;
    await h.deliver("push", push);
    await h.service.queue.idle();
    await closed(proposal.number, true, merged);
    expect(applyStatus(merged)).toMatchObject({ state: "pending" });
    expect(comments(proposal.number).at(-1)).toContain(
      `Merged, but not applied yet: the fabric is held by #10 (${held.slice(0, 7)}, applied by @alice)`,
    );

    // PR 10 closed unmerged: the branch, with the adopted drift, goes back on, and the proposal hears it.
    await closed(10, false);
    expect(lab.lab.fleet.get("leaf2").runningConfig()).toMatch(/vlan 3999\n\s+name out-of-band/);
    expect(lab.lab.fleet.get("leaf1").runningConfig()).not.toContain("PR 10");
    expect(applyStatus(merged)).toMatchObject({ state: "success" });
    expect(comments(proposal.number).at(-1)).toContain(
      `The apply that waited for the fabric hold ran: ${merged.slice(0, 7)}, with this PR's change, is on the switches`,
    );
  }, 120_000);
});

/**
 * `/reconciler` comment commands against the fake GitHub, with signed issue_comment webhooks built from
 * @octokit/webhooks-examples: who may do what (the collaborators permission API), the fork rule, and
 * the apply requirements (reviews, mergeability, being up to date with the tracked branch).
 */
import { readFile } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import type { WorkflowSettings } from "../../../reconciler/src/pr-workflow/index.ts";
import type { RecentRun } from "../../../reconciler/src/server/recent-runs.ts";
import { BRANCH, commentEvent, type Harness, REPO, startHarness } from "./harness.ts";

const HEAD = "a".repeat(40);
const MAIN = "b".repeat(40);

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(workflow: Partial<WorkflowSettings> = { applyBeforeMerge: true }) {
  h = await startHarness({ workflow, headOf: async () => MAIN });
  const repo = h.fake.repo(REPO);
  for (const [login, role] of [
    ["alice", "write"],
    ["olga", "admin"],
    ["rita", "read"],
    ["mae", "maintain"],
  ] as const)
    repo.roles.set(login, role);
  h.fake.addPull(REPO, { number: 7, headSha: HEAD, baseRef: BRANCH, author: "octocat" });
  return h;
}

/** Delivers a comment and waits until the service has answered it. */
async function say(pull: number, body: string, login: string) {
  const response = await h!.deliver("issue_comment", commentEvent(pull, body, login));
  await h!.service.queue.idle();
  return response;
}

const replies = (pull = 7) =>
  (h!.fake.repo(REPO).comments.get(pull) ?? [])
    .map((c) => c.body ?? "")
    .filter((b) => b.includes('"key":"reply"'));
const applies = () => h!.runner.calls.filter((c) => c.op === "apply");

describe("comment commands", () => {
  it("answers /reconciler help to anyone with the command table", async () => {
    await start();
    expect((await say(7, "/reconciler help", "rita")).status).toBe(202);
    expect(replies()).toHaveLength(1);
    expect(replies()[0]).toContain("| `/reconciler apply [reason]` |");
    expect(h!.runner.calls).toEqual([]);
  });

  it("answers an unknown subcommand with what it is and the help", async () => {
    await start();
    await say(7, "/reconciler destroy everything", "alice");
    expect(replies()[0]).toContain("`/reconciler destroy` is not a command.");
    expect(replies()[0]).toContain("/reconciler unlock");
  });

  it("re-plans the PR head on /reconciler plan, also for a reader", async () => {
    await start();
    await say(7, "/reconciler plan", "rita");
    expect(h!.runner.calls).toEqual([{ op: "plan", trigger: "comment", rev: HEAD }]);
    const plan = h!.fake
      .repo(REPO)
      .comments.get(7)!
      .find((c) => c.body?.includes('"key":"plan"'));
    expect(plan?.body).toContain("**2 switches to change**");
  });

  it("plans within the command's run: one run, the journal's, with its report", async () => {
    await start();
    await say(7, "/reconciler plan", "rita");
    const runs = (await (await fetch(`${h!.service.url}/api/runs`)).json()) as RecentRun[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ id: h!.runner.runIds[0], kind: "command", trigger: "comment" });
    const run = (await (await fetch(`${h!.service.url}/api/runs/${runs[0]!.id}`)).json()) as RecentRun;
    expect(run).toMatchObject({ outcome: "changes", devices: ["leaf1", "leaf2", "spine1"] });
    expect(run.report).toContain("Plan for fabric lab");
    const plan = (h!.fake.repo(REPO).statuses.get(HEAD) ?? []).filter((s) => s.context === "reconciler/plan");
    expect(plan.at(-1)?.state).toBe("success");
  });

  it("applies the PR head for a writer, comments the outcome and holds the fabric", async () => {
    await start();
    await say(7, "/reconciler apply", "alice");
    expect(applies()).toEqual([{ op: "apply", trigger: "comment", rev: HEAD }]);
    const outcome = h!.fake
      .repo(REPO)
      .comments.get(7)!
      .find((c) => c.body?.includes(`"key":"apply-${HEAD}"`));
    expect(outcome?.body).toContain("**succeeded**");
    const statuses = (h!.fake.repo(REPO).statuses.get(HEAD) ?? []).map((s) => `${s.context}=${s.state}`);
    expect(statuses).toEqual(["reconciler/apply=pending", "reconciler/apply=success"]);
    expect(JSON.parse(await readFile(h!.holdFile, "utf8"))).toMatchObject({
      pullNumber: 7,
      sha: HEAD,
      by: "alice",
    });
  });

  it("shows a /reconciler apply's run on the status page with its report, as any apply's", async () => {
    await start();
    await say(7, "/reconciler apply", "alice");
    const id = h!.runner.runIds[0]!;
    const run = (await (await fetch(`${h!.service.url}/api/runs/${id}`)).json()) as RecentRun;
    expect(run).toMatchObject({
      kind: "command",
      trigger: "comment",
      pullNumber: 7,
      sha: HEAD,
      outcome: "succeeded",
      devices: ["leaf1", "leaf2", "spine1"],
    });
    expect(run.report).toContain("Plan for fabric lab");
    expect(run.report).toContain("username ops secret <redacted>");
    expect(run.report).toContain("succeeded");
  });

  it("refuses apply and unlock to a reader, saying which permission is needed", async () => {
    await start();
    await say(7, "/reconciler apply", "rita");
    await say(7, "/reconciler unlock", "rita");
    await say(7, "/reconciler apply", "stranger");
    expect(replies()).toEqual([
      expect.stringContaining(
        "@rita cannot `apply`: that needs write permission on the repository, and @rita has read.",
      ),
      expect.stringContaining("@rita cannot `unlock`: that needs write permission"),
      expect.stringContaining(
        "@stranger cannot `apply`: that needs write permission on the repository, and @stranger has none.",
      ),
    ]);
    expect(applies()).toEqual([]);
  });

  it("asks for more than write when the fabric sets applyPermission", async () => {
    await start({ applyBeforeMerge: true, applyPermission: "maintain" });
    await say(7, "/reconciler apply", "alice");
    expect(replies()[0]).toContain("needs maintain permission on the repository, and @alice has write");
    await say(7, "/reconciler apply", "mae");
    expect(applies()).toHaveLength(1);
  });

  it("unlocks for a writer on the PR that holds the fabric", async () => {
    await start();
    await say(7, "/reconciler apply", "alice");
    await say(7, "/reconciler unlock", "rita");
    await expect(readFile(h!.holdFile, "utf8")).resolves.toContain('"pullNumber":7');
    await say(7, "/reconciler unlock", "alice");
    await expect(readFile(h!.holdFile, "utf8")).rejects.toMatchObject({ code: "ENOENT" });
    expect(replies().at(-1)).toContain("@alice released this PR's hold on the fabric");
  });

  it("does not apply before merge unless fabric.yaml sets github.applyBeforeMerge", async () => {
    await start({});
    await say(7, "/reconciler apply", "alice");
    expect(replies()[0]).toContain("Set `github.applyBeforeMerge: true` in fabric.yaml");
    expect(applies()).toEqual([]);
  });

  it("plans a fork's PR on request but never applies it from a comment", async () => {
    await start();
    h!.fake.addPull(REPO, {
      number: 8,
      headSha: "c".repeat(40),
      baseRef: BRANCH,
      headRepo: "mallory/Hello-World",
    });
    await say(8, "/reconciler apply", "olga");
    expect(replies(8)[0]).toContain(
      "This PR comes from a fork: it is planned, but never applied from a comment.",
    );
    await say(8, "/reconciler plan", "olga");
    expect(h!.runner.calls).toEqual([
      { op: "plan", trigger: "comment", rev: "c".repeat(40), planOnly: true },
    ]);
    await expect(readFile(h!.holdFile, "utf8")).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("ignores edited comments, bots, the reconciler's own comments, issues and other text", async () => {
    await start();
    const ignored = async (event: unknown) =>
      (await (await h!.deliver("issue_comment", event)).json()) as object;
    expect(await ignored(commentEvent(7, "/reconciler apply", "alice", { action: "edited" }))).toEqual({
      result: "ignored",
      detail: "issue_comment edited is not a command",
    });
    expect(
      await ignored(commentEvent(7, "/reconciler apply", "dependabot[bot]", { type: "Bot" })),
    ).toMatchObject({
      detail: "a comment by a bot",
    });
    expect(await ignored(commentEvent(7, "/reconciler apply", h!.fake.botLogin))).toMatchObject({
      detail: "a comment by a bot",
    });
    const quoted = commentEvent(7, '<!-- fabric-reconciler {"key":"reply"} -->\n/reconciler apply', "alice");
    expect(await ignored(quoted)).toMatchObject({ detail: "a comment of the reconciler" });
    const onIssue = commentEvent(7, "/reconciler apply", "alice");
    delete onIssue.issue.pull_request;
    expect(await ignored(onIssue)).toMatchObject({ detail: "a comment on an issue, not on a pull request" });
    expect(await ignored(commentEvent(7, "looks good; /reconciler apply later", "alice"))).toMatchObject({
      detail: "not a /reconciler command",
    });
    await h!.service.queue.idle();
    expect(h!.runner.calls).toEqual([]);
    expect(replies()).toEqual([]);
  });

  it("reapplies the tracked branch head when asked on a merged PR", async () => {
    await start({});
    h!.fake.addPull(REPO, { number: 9, headSha: "d".repeat(40), baseRef: BRANCH, merged: true });
    await say(9, "/reconciler apply", "alice");
    expect(applies()).toEqual([{ op: "apply", trigger: "comment", rev: MAIN }]);
    await expect(readFile(h!.holdFile, "utf8")).rejects.toMatchObject({ code: "ENOENT" });
  });
});

describe("apply requirements", () => {
  const unmet = () => replies().at(-1) ?? "";

  it("needs an approval at the head by a writer other than the author", async () => {
    await start({ applyBeforeMerge: true, applyRequires: ["approved"] });
    const reviews = h!.fake.repo(REPO).reviews;
    await say(7, "/reconciler apply", "alice");
    expect(unmet()).toContain(
      "- **approved**: not approved by a reviewer with write access other than the author",
    );
    reviews.set(7, [
      { user: "octocat", state: "APPROVED", commitId: HEAD },
      { user: "rita", state: "APPROVED", commitId: HEAD },
    ]);
    await say(7, "/reconciler apply", "alice");
    expect(unmet()).toContain(
      "- **approved**: not approved by a reviewer with write access other than the author",
    );
    reviews.set(7, [{ user: "mae", state: "APPROVED", commitId: "e".repeat(40) }]);
    await say(7, "/reconciler apply", "alice");
    expect(unmet()).toContain("approved only at an older head");
    reviews.set(7, [
      { user: "mae", state: "APPROVED", commitId: HEAD },
      { user: "mae", state: "CHANGES_REQUESTED", commitId: HEAD },
    ]);
    await say(7, "/reconciler apply", "alice");
    expect(unmet()).toContain("- **approved**: not approved");
    expect(applies()).toEqual([]);
    reviews.set(7, [
      { user: "mae", state: "CHANGES_REQUESTED", commitId: HEAD },
      { user: "mae", state: "APPROVED", commitId: HEAD },
      { user: "mae", state: "COMMENTED", commitId: HEAD },
    ]);
    await say(7, "/reconciler apply", "alice");
    expect(applies()).toHaveLength(1);
  });

  it("needs the PR to be mergeable", async () => {
    await start({ applyBeforeMerge: true, applyRequires: ["mergeable"] });
    const pull = h!.fake.repo(REPO).pulls.get(7)!;
    pull.mergeable = false;
    await say(7, "/reconciler apply", "alice");
    expect(unmet()).toContain(
      "- **mergeable**: not mergeable: resolve the conflicts with the tracked branch",
    );
    pull.mergeable = null;
    await say(7, "/reconciler apply", "alice");
    expect(unmet()).toContain("GitHub is still checking whether it can be merged");
    expect(applies()).toEqual([]);
    pull.mergeable = true;
    await say(7, "/reconciler apply", "alice");
    expect(applies()).toHaveLength(1);
  });

  it("needs the head to contain the tracked branch", async () => {
    await start({ applyBeforeMerge: true, applyRequires: ["up-to-date"] });
    const pull = h!.fake.repo(REPO).pulls.get(7)!;
    pull.behindBy = 2;
    await say(7, "/reconciler apply", "alice");
    expect(unmet()).toContain(`- **up-to-date**: 2 commits behind ${BRANCH}: merge or rebase onto ${BRANCH}`);
    expect(applies()).toEqual([]);
    pull.behindBy = 0;
    await say(7, "/reconciler apply", "alice");
    expect(applies()).toHaveLength(1);
  });

  it("lists every unmet requirement in one reply", async () => {
    await start({ applyBeforeMerge: true, applyRequires: ["approved", "mergeable", "up-to-date"] });
    const pull = h!.fake.repo(REPO).pulls.get(7)!;
    pull.mergeable = false;
    pull.behindBy = 1;
    await say(7, "/reconciler apply", "alice");
    expect(unmet()).toContain("Not applied: 3 apply requirements are not met");
    expect(unmet()).toMatch(
      /\*\*approved\*\*[\s\S]*\*\*mergeable\*\*[\s\S]*\*\*up-to-date\*\*: 1 commit behind/,
    );
  });
});

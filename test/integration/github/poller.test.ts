import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { gitSource } from "../../../reconciler/src/source/index.ts";
import { example, type Harness, startHarness } from "./harness.ts";

let dir: string;
let h: Harness | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "poller-test-"));
  await simpleGit().init(["--bare", "--quiet", "--initial-branch=master", join(dir, "origin.git")]);
  const work = simpleGit();
  await work.clone(join(dir, "origin.git"), join(dir, "work"), ["--quiet"]);
});
afterEach(async () => {
  await h?.close();
  h = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Commits a change to the desired state and pushes it to the origin; returns the new sha. */
async function pushCommit(n: number): Promise<string> {
  const git = simpleGit(join(dir, "work"));
  await writeFile(join(dir, "work", "fabric.yaml"), `name: lab\nrevision: ${n}\n`);
  await git.add("fabric.yaml");
  await git.addConfig("user.name", "Test").addConfig("user.email", "test@example.com");
  await git.commit(`change ${n}`, ["--quiet"]);
  await git.push("origin", "HEAD:master", ["--quiet"]);
  return (await git.revparse(["HEAD"])).trim();
}

async function startWithPoller(): Promise<Harness> {
  const source = gitSource({
    source: `file://${join(dir, "origin.git")}`,
    cacheDir: join(dir, "cache"),
    branch: "master",
  });
  const harness = await startHarness({
    headOf: () => source.headOf("master"),
    config: { pollIntervalMs: 60_000 },
  });
  await harness.service.poller!.poll(); // the baseline
  return harness;
}

function pushEvent(sha: string) {
  const event = example("push", (p) => p.ref === "refs/heads/master");
  event.after = sha;
  return event;
}

describe("poller", () => {
  it("takes the first head as the baseline and applies when the branch moves", async () => {
    await pushCommit(1);
    h = await startWithPoller();
    await h.service.queue.idle();
    expect(h.runner.calls).toEqual([]);

    const second = await pushCommit(2);
    await h.service.poller!.poll();
    await h.service.queue.idle();
    expect(h.runner.calls).toEqual([{ op: "apply", trigger: "poll", rev: second }]);
  });

  it("runs a push once when the webhook reports it before the poller sees it", async () => {
    await pushCommit(1);
    h = await startWithPoller();
    const second = await pushCommit(2);
    expect((await h.deliver("push", pushEvent(second))).status).toBe(202);
    await h.service.queue.idle();
    await h.service.poller!.poll();
    await h.service.queue.idle();
    expect(h.runner.calls).toEqual([{ op: "apply", trigger: "push", rev: second }]);
  });

  it("runs a push once when the poller sees it before the webhook arrives", async () => {
    await pushCommit(1);
    h = await startWithPoller();
    const second = await pushCommit(2);
    await h.service.poller!.poll();
    await h.service.queue.idle();
    const late = await h.deliver("push", pushEvent(second));
    expect(await late.json()).toEqual({ result: "duplicate", detail: "apply duplicate" });
    await h.service.queue.idle();
    expect(h.runner.calls).toEqual([{ op: "apply", trigger: "poll", rev: second }]);
  });

  it("applies the branch head, not the older sha a late push event names", async () => {
    await pushCommit(1);
    h = await startWithPoller();
    const second = await pushCommit(2);
    const third = await pushCommit(3);
    await h.deliver("push", pushEvent(second));
    await h.service.queue.idle();
    expect(h.runner.calls).toEqual([{ op: "apply", trigger: "push", rev: third }]);
  });
});

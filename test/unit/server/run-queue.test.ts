import { describe, expect, it } from "vitest";
import { createRunQueue, type Job } from "../../../reconciler/src/server/run-queue.ts";

const sha = (c: string) => c.repeat(40);
const plan = (pullNumber: number, c: string): Job => ({
  kind: "plan",
  trigger: "pull-request",
  pullNumber,
  sha: sha(c),
  isFork: false,
});
const apply = (c: string): Job => ({ kind: "apply", trigger: "push", sha: sha(c) });
const drift: Job = { kind: "drift", trigger: "schedule", heal: false };

/** A queue whose runs wait until released, recording what ran. */
function gatedQueue() {
  const ran: Job[] = [];
  let release: () => void = () => {};
  const queue = createRunQueue(
    (job) => {
      ran.push(job);
      return new Promise<void>((resolve) => {
        release = resolve;
      });
    },
    () => {},
  );
  const next = async () => {
    release();
    await new Promise((r) => setTimeout(r, 0));
  };
  return { queue, ran, next };
}

describe("run queue", () => {
  it("runs one job at a time and coalesces a slot so the newest revision wins", async () => {
    const { queue, ran, next } = gatedQueue();
    expect(queue.request(apply("a"))).toBe("queued");
    await new Promise((r) => setTimeout(r, 0));
    expect(queue.request(apply("b"))).toBe("queued");
    expect(queue.request(apply("c"))).toBe("coalesced");
    expect(queue.request(plan(7, "1"))).toBe("queued");
    expect(queue.request(plan(7, "2"))).toBe("coalesced");
    expect(queue.request(plan(8, "3"))).toBe("queued");
    await next();
    await next();
    await next();
    await next();
    expect(ran.map((j) => ("sha" in j ? `${j.kind}:${j.sha[0]}` : j.kind))).toEqual([
      "apply:a",
      "apply:c",
      "plan:2",
      "plan:3",
    ]);
    await queue.idle();
  });

  it("drops a request for the revision that is running, pending or was last applied", async () => {
    const { queue, next } = gatedQueue();
    queue.request(apply("a"));
    await new Promise((r) => setTimeout(r, 0));
    expect(queue.request(apply("a"))).toBe("duplicate");
    queue.request(plan(1, "b"));
    expect(queue.request(plan(1, "b"))).toBe("duplicate");
    await next();
    await next();
    await queue.idle();
    expect(queue.request(apply("a"))).toBe("duplicate");
  });

  it("keeps at most one drift check waiting behind a running one", async () => {
    const { queue, ran, next } = gatedQueue();
    expect(queue.request(drift)).toBe("queued");
    await new Promise((r) => setTimeout(r, 0));
    expect(queue.request(drift)).toBe("queued");
    expect(queue.request(drift)).toBe("duplicate");
    await next();
    await next();
    await queue.idle();
    expect(ran).toHaveLength(2);
  });

  it("refuses work once closed and reports a run that outlasts the grace time", async () => {
    const { queue } = gatedQueue();
    queue.request(apply("a"));
    queue.request(plan(1, "b"));
    await new Promise((r) => setTimeout(r, 0));
    expect(await queue.close(20)).toBe("abandoned");
    expect(queue.request(apply("c"))).toBe("closed");
  });

  it("hands a failing run to the error callback and goes on", async () => {
    const errors: string[] = [];
    const ran: string[] = [];
    const queue = createRunQueue(
      async (job) => {
        ran.push(job.kind);
        if (job.kind === "apply") throw new Error("boom");
      },
      (_job, error) => errors.push((error as Error).message),
    );
    queue.request(apply("a"));
    queue.request(drift);
    await new Promise((r) => setTimeout(r, 10));
    await queue.idle();
    expect(ran).toEqual(["apply", "drift"]);
    expect(errors).toEqual(["boom"]);
  });
});

describe("run queue: an apply that stands for deferred ones", () => {
  it("keeps what a waiting apply owes when a newer request replaces it", async () => {
    const { queue, ran, next } = gatedQueue();
    queue.request(drift);
    await new Promise((r) => setTimeout(r, 0));
    const owed: Job = {
      kind: "apply",
      trigger: "pull-request",
      sha: sha("a"),
      force: true,
      deferred: { shas: [sha("b")], pulls: [11] },
    };
    expect(queue.request(owed)).toBe("queued");
    const newer: Job = {
      kind: "apply",
      trigger: "push",
      sha: sha("c"),
      deferred: { shas: [sha("c")], pulls: [12] },
    };
    expect(queue.request(newer)).toBe("coalesced");
    await next();
    expect(ran.at(-1)).toEqual({
      kind: "apply",
      trigger: "push",
      sha: sha("c"),
      force: true,
      deferred: { shas: [sha("b"), sha("c")], pulls: [11, 12] },
    });
    await next();
  });
});

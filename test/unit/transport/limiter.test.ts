import { describe, expect, it } from "vitest";
import { Limiter } from "../../../reconciler/src/transport/limiter.ts";

describe("limiter idleness", () => {
  it("resolves whenIdle at once when nothing runs, else when the last queued task is done", async () => {
    const limiter = new Limiter(1);
    await limiter.whenIdle();
    const order: string[] = [];
    let finishFirst: () => void = () => undefined;
    const first = limiter.run(() =>
      new Promise<void>((r) => (finishFirst = r)).then(() => order.push("first")),
    );
    const second = limiter.run(async () => order.push("second"));
    const idle = limiter.whenIdle().then(() => order.push("idle"));
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([]);
    finishFirst();
    await Promise.all([first, second, idle]);
    expect(order).toEqual(["first", "second", "idle"]);
  });

  it("resolves whenQuiet only once no task has run for the quiet period", async () => {
    const limiter = new Limiter(4);
    const started = performance.now();
    await limiter.whenQuiet(80); // nothing ran yet: quiet counts from the limiter's making
    expect(performance.now() - started).toBeGreaterThanOrEqual(75);
    const ran: number[] = [];
    const burst = async () => {
      for (let i = 0; i < 3; i++) {
        await limiter.run(async () => ran.push(performance.now()));
        await new Promise((r) => setTimeout(r, 30)); // a gap between requests, shorter than quiet
      }
    };
    const done = burst();
    await new Promise((r) => setTimeout(r, 5));
    await limiter.whenQuiet(80);
    await done;
    expect(ran).toHaveLength(3);
    expect(performance.now() - ran[2]!).toBeGreaterThanOrEqual(75);
  });
});

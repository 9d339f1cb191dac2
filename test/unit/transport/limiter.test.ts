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
});

import { type Element, xml } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { type PacedDeps, PacedSender } from "../../../reconciler/src/transport/paced.ts";

const presence = (i: number) => xml("presence", { to: `sw${i}@fabric.test`, type: "subscribed" });

/** A sender whose chunks land in `sent` (a test's own list, or a new one). */
function recording(deps: Omit<PacedDeps, "send">, sent: Element[][] = []) {
  const paced = new PacedSender({
    ...deps,
    send: async (stanzas) => {
      sent.push(stanzas);
    },
  });
  return { paced, sent };
}

describe("subscription answers paced behind pings", () => {
  it("sends one chunk, then waits for the server's answer to a ping before the next", async () => {
    const sent: Element[][] = [];
    const pings: (() => void)[] = [];
    const { paced } = recording(
      {
        ping: () => new Promise<void>((resolve) => pings.push(resolve)),
        idle: async () => undefined,
        chunk: 16,
      },
      sent,
    );
    paced.push(Array.from({ length: 20 }, (_, i) => presence(i)));
    paced.push(Array.from({ length: 20 }, (_, i) => presence(20 + i)));
    await new Promise((r) => setImmediate(r));
    expect(sent.map((c) => c.length)).toEqual([16]);
    expect(paced.pending).toBe(24);
    pings.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(sent.map((c) => c.length)).toEqual([16, 16]);
    pings.shift()!();
    await new Promise((r) => setImmediate(r));
    pings.shift()!();
    await new Promise((r) => setImmediate(r));
    expect(sent.map((c) => c.length)).toEqual([16, 16, 8]);
    expect(sent.flat().map((s) => s.attrs.to)).toEqual(
      Array.from({ length: 40 }, (_, i) => `sw${i}@fabric.test`),
    );
  });

  it("drops what is queued when the stream is lost, and goes on after a failed send", async () => {
    const sent: Element[][] = [];
    let fail = true;
    const paced = new PacedSender({
      send: async (stanzas) => {
        if (fail) {
          fail = false;
          throw new Error("socket closed");
        }
        sent.push(stanzas);
      },
      ping: async () => undefined,
      idle: async () => undefined,
      chunk: 2,
    });
    paced.push([presence(1), presence(2), presence(3)]);
    await new Promise((r) => setImmediate(r));
    expect(sent.flat().map((s) => s.attrs.to)).toEqual(["sw3@fabric.test"]);
    paced.push([presence(4), presence(5), presence(6)]);
    paced.clear();
    await new Promise((r) => setImmediate(r));
    expect(sent.flat().length).toBeLessThanOrEqual(3);
    expect(paced.pending).toBe(0);
  });

  it("waits until no request is in flight before each chunk", async () => {
    const sent: Element[][] = [];
    let release: () => void = () => undefined;
    let busy = true;
    const { paced } = recording(
      {
        ping: async () => undefined,
        idle: () => (busy ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve()),
        chunk: 2,
      },
      sent,
    );
    paced.push([presence(1), presence(2), presence(3)]);
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([]);
    busy = false;
    release();
    await new Promise((r) => setTimeout(r, 10));
    expect(sent.map((c) => c.length)).toEqual([2, 1]);
  });

  it("sends a backlog of one chunk at once, busy or not (a small fabric's first contact)", async () => {
    const sent: Element[][] = [];
    const { paced } = recording(
      {
        ping: async () => undefined,
        idle: () => new Promise<void>(() => undefined), // never quiet
        chunk: 8,
      },
      sent,
    );
    paced.push([presence(1), presence(2), presence(3), presence(4)]);
    await new Promise((r) => setTimeout(r, 10));
    expect(sent.map((c) => c.length)).toEqual([4]);
    paced.push(Array.from({ length: 9 }, (_, i) => presence(10 + i)));
    await new Promise((r) => setTimeout(r, 10));
    expect(sent.map((c) => c.length)).toEqual([4]); // nine are more than a chunk: they wait for quiet
  });

  it("flushes what waits for quiet when the session closes, behind pings, within its time limit", async () => {
    const sent: Element[][] = [];
    const { paced } = recording(
      {
        ping: async () => undefined,
        idle: () => new Promise<void>(() => undefined), // never quiet: a run that keeps sending
        chunk: 16,
      },
      sent,
    );
    paced.push(Array.from({ length: 40 }, (_, i) => presence(i)));
    await new Promise((r) => setImmediate(r));
    expect(sent).toEqual([]);
    await paced.flush(1000);
    expect(sent.map((c) => c.length)).toEqual([16, 16, 8]);

    const { paced: slow } = recording(
      {
        ping: () => new Promise<void>(() => undefined), // the server never answers
        idle: async () => undefined,
        chunk: 16,
      },
      sent,
    );
    sent.length = 0;
    slow.push(Array.from({ length: 40 }, (_, i) => presence(i)));
    const started = performance.now();
    await slow.flush(50);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(sent.map((c) => c.length)).toEqual([16]);
    expect(slow.pending).toBe(0); // the rest is the next login's
  });
});

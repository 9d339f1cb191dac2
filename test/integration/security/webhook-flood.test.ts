/**
 * The webhook endpoint under unauthenticated load, against the running service (real HTTP server,
 * real reporter, fake GitHub): forged event headers create no metric series, and concurrent large
 * unsigned bodies are bounded in memory.
 */
import { request } from "node:http";
import { connect } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { example, type Harness, startHarness } from "../github/harness.ts";

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const deliverySeries = (metrics: string) =>
  metrics.split("\n").filter((line) => line.startsWith("reconciler_webhook_deliveries_total{"));

/** POSTs a body in chunks without Content-Length, so the server must stream it to learn its size. */
function postChunked(url: string, body: Buffer, headers: Record<string, string>): Promise<number | "reset"> {
  return new Promise((resolve) => {
    const req = request(`${url}/webhook`, {
      method: "POST",
      headers: { "content-type": "application/json", "transfer-encoding": "chunked", ...headers },
    });
    req.on("response", (res) => {
      res.resume();
      res.on("end", () => resolve(res.statusCode ?? 0));
    });
    req.on("error", () => resolve("reset"));
    const chunk = 1024 * 1024;
    let offset = 0;
    const pump = () => {
      while (offset < body.length) {
        const ok = req.write(body.subarray(offset, offset + chunk));
        offset += chunk;
        if (!ok) return void req.once("drain", pump);
      }
      req.end();
    };
    pump();
  });
}

describe("webhook endpoint under unauthenticated requests", () => {
  it("counts forged X-GitHub-Event values under one fixed label: 100 forgeries add no series", async () => {
    h = await startHarness();
    await h.deliver("ping", { zen: "hi", hook_id: 1 });
    const before = deliverySeries(await (await fetch(`${h.service.url}/metrics`)).text());
    for (let i = 0; i < 100; i++) {
      const forged = `forged-event-${i}`;
      // Half unsigned, half signed with our secret (a valid signature does not make the header trusted).
      const response =
        i % 2 === 0
          ? await h.deliver(forged, { zen: "x" }, { signature: "sha256=" + "0".repeat(64) })
          : await h.deliver(forged, { zen: "x" });
      expect([200, 400]).toContain(response.status);
    }
    const after = deliverySeries(await (await fetch(`${h.service.url}/metrics`)).text());
    expect(after.join("\n")).not.toContain("forged-event");
    const labels = new Set(after.map((line) => /event="([^"]*)"/.exec(line)![1]));
    expect([...labels].sort()).toEqual(["other", "ping"]);
    // Two outcomes of "other" (bad signature, ignored) plus the ping: three series, however many forgeries.
    expect(after.length - before.length).toBe(2);
    expect(after).toContain('reconciler_webhook_deliveries_total{event="other",result="bad-signature"} 50');
    expect(after).toContain('reconciler_webhook_deliveries_total{event="other",result="ignored"} 50');
  });

  it("refuses a declared body over the configured limit without reading it", async () => {
    h = await startHarness({ config: { webhookLimits: { maxBodyBytes: 1024 } } });
    const response = await h.deliver("ping", { zen: "x".repeat(2048) });
    expect(response.status).toBe(413);
    const metrics = await (await fetch(`${h.service.url}/metrics`)).text();
    expect(metrics).toContain('reconciler_webhook_deliveries_total{event="ping",result="too-large"} 1');
  });

  it("stops reading a streamed body at the limit and answers 413", async () => {
    h = await startHarness({ config: { webhookLimits: { maxBodyBytes: 64 * 1024 } } });
    const status = await postChunked(h.service.url, Buffer.alloc(4 * 1024 * 1024, 0x20), {
      "x-github-event": "push",
      "x-github-delivery": "big-1",
      "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
    });
    // The server answers and closes; the client may see the answer or the closed socket first.
    expect([413, "reset"]).toContain(status);
    const metrics = await (await fetch(`${h.service.url}/metrics`)).text();
    expect(metrics).toContain('reconciler_webhook_deliveries_total{event="push",result="too-large"} 1');
  });

  it("keeps memory bounded under 16 concurrent 24 MB unsigned bodies, and still serves a signed delivery", async () => {
    h = await startHarness();
    const body = Buffer.alloc(24 * 1024 * 1024, 0x20);
    const base = process.memoryUsage();
    let peakRss = base.rss;
    let peakBuffers = base.arrayBuffers;
    const sampler = setInterval(() => {
      const now = process.memoryUsage();
      peakRss = Math.max(peakRss, now.rss);
      peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
    }, 2);
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        postChunked(h!.service.url, body, {
          "x-github-event": "push",
          "x-github-delivery": `flood-${i}`,
          "x-hub-signature-256": `sha256=${"1".repeat(64)}`,
        }),
      ),
    );
    clearInterval(sampler);
    expect(results.every((r) => r === 400 || r === 503 || r === "reset")).toBe(true);
    const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);
    // Two bodies are read at a time (2 × 24 MB, measured ~80 MB with garbage not yet collected);
    // reading them all at once measured 200 MB of buffers here before the bound.
    expect(mb(peakBuffers - base.arrayBuffers), "peak growth of buffer memory, MB").toBeLessThan(120);
    expect(mb(peakRss - base.rss), "peak RSS growth, MB").toBeLessThan(160);
    const ping = await h.deliver("ping", example("ping"));
    expect(ping.status).toBe(200);
  });

  it("drops a body that trickles in, so two slow clients cannot hold the reading slots", async () => {
    h = await startHarness({ config: { webhookLimits: { readTimeoutMs: 500 } } });
    const { port } = new URL(h.service.url);
    const slow = Array.from(
      { length: 2 },
      (_, i) =>
        new Promise<number>((resolve) => {
          const started = Date.now();
          const socket = connect(Number(port), "127.0.0.1", () => {
            socket.write(
              `POST /webhook HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\nx-github-event: push\r\nx-github-delivery: slow-${i}\r\nx-hub-signature-256: sha256=${"2".repeat(64)}\r\ncontent-length: 100000\r\n\r\n{"a":`,
            );
          });
          socket.on("data", () => {});
          socket.on("error", () => {});
          socket.on("close", () => resolve(Date.now() - started));
        }),
    );
    // The signed delivery waits for a slot, and gets one once the slow bodies are dropped.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const ping = await h.deliver("ping", example("ping"));
    expect(ping.status).toBe(200);
    const closedAfter = await Promise.all(slow);
    for (const ms of closedAfter) expect(ms).toBeLessThan(3_000);
    const metrics = await (await fetch(`${h.service.url}/metrics`)).text();
    expect(metrics).toContain('reconciler_webhook_deliveries_total{event="push",result="too-slow"} 2');
  });
});

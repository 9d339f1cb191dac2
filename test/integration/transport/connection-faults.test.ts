/**
 * TCP resets at every stage of an XMPP connection, from a real proxy in front of the real Prosody:
 * each ends as a named error (never an unhandled rejection), and the CLI exits 5.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ConnectFailedError,
  openFabricTransport,
  type TransportError,
  TransportLostError,
} from "../../../reconciler/src/transport/index.ts";
import { type FabricLab, startFabricLab } from "../support/fabric-lab.ts";
import { type FaultProxy, startFaultProxy } from "../support/fault-proxy.ts";

const run = promisify(execFile);
let lab: FabricLab;
let proxy: FaultProxy;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

beforeAll(async () => {
  lab = await startFabricLab();
  proxy = await startFaultProxy(lab.lab.server);
  process.on("unhandledRejection", onUnhandled);
});

afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await proxy?.close();
  await lab?.cleanup();
});

const viaProxy = () => ({
  ...lab.lab.env,
  RECONCILER_XMPP_HOST: proxy.host,
  RECONCILER_XMPP_PORT: String(proxy.port),
});
const open = () =>
  openFabricTransport(lab.fabric, { env: viaProxy(), repoDir: lab.repo, tune: { pingIntervalMs: 0 } });
const settle = () => new Promise((r) => setTimeout(r, 50));

/** The handshake step the Nth client chunk is (RFC 6120 order; TLS records hide their content). */
function stageOf(labels: string[]): string {
  if (labels.length === 0) return "tcp-accept";
  const encrypted = labels.filter((l) => l === "tls-data").length;
  if (encrypted === 0) return labels.at(-1)!;
  return ["stream-header-over-tls", "sasl", "stream-restart", "bind"][encrypted - 1] ?? "after-bind";
}

/**
 * Inside TLS the steps are lock-step and counted from the end: the client's last chunk before it is
 * online is its bind request (RFC 6120 §7), the one before the stream restart, then SASL, then the
 * stream header. (From the front the count shifts: TLS 1.3 may send its Finished alone or together
 * with the stream header.)
 */
function nameFromTheEnd(cut: string[]): string[] {
  const steps = ["stream-header-over-tls", "sasl", "stream-restart", "bind"];
  return cut.map((stage, i) => steps[i - (cut.length - steps.length)] ?? stage);
}

describe("XMPP connection reset at every stage", () => {
  it("ends every handshake stage cut by a TCP reset in a named connect error, never an unhandled rejection", async () => {
    const cut: string[] = [];
    let connected = false;
    for (let n = 0; n < 20 && !connected; n++) {
      proxy.resetAfterClientChunk(n);
      const outcome = await open().then(
        async (transport) => {
          await transport.close();
          return "connected" as const;
        },
        (error: unknown) => error,
      );
      await settle();
      if (outcome === "connected") {
        connected = true;
        break;
      }
      cut.push(stageOf(proxy.transcripts.at(-1)!));
      expect(outcome).toBeInstanceOf(ConnectFailedError);
      expect((outcome as TransportError).code).toBe("connect-failed");
      expect((outcome as Error).message).toMatch(/cannot connect to the XMPP server \(ECONNRESET\)/);
    }
    proxy.resetAfterClientChunk(undefined);
    expect(connected).toBe(true);
    const named = nameFromTheEnd(cut);
    for (const stage of [
      "tcp-accept",
      "stream-header",
      "starttls",
      "tls-handshake",
      "sasl",
      "stream-restart",
      "bind",
    ]) {
      expect(named).toContain(stage);
    }
    expect(unhandled).toEqual([]);
  });

  it("fails a request in flight as transport-lost when the connection is reset mid-request, then reconnects", async () => {
    proxy.resetAfterClientChunk(undefined);
    const transport = await open();
    try {
      await lab.lab.fleet.get("leaf1").setFaults([{ kind: "slow-reply", ms: 1500 }]);
      const pending = transport.send("leaf1", "show version", { timeoutMs: 10_000 }).catch((e: unknown) => e);
      await settle();
      proxy.resetAll();
      const error = await pending;
      expect(error).toBeInstanceOf(TransportLostError);
      expect((error as TransportLostError).device).toBe("leaf1");
      await lab.lab.fleet.get("leaf1").setFaults([]);
      // the session reconnects by itself through the same proxy, and the next request works
      let reply: unknown;
      const deadline = Date.now() + 20_000;
      while (reply === undefined && Date.now() < deadline) {
        reply = await transport.send("leaf1", "show hostname", { timeoutMs: 2000 }).catch(() => undefined);
        if (reply === undefined) await settle();
      }
      expect(String(reply)).toContain("Hostname: leaf1");
    } finally {
      await transport.close();
    }
    expect(unhandled).toEqual([]);
  });

  it("plan exits 5 with a named error when the server resets the connection after the stream header", async () => {
    proxy.resetAfterClientChunk(1);
    try {
      const result = await run(
        "node",
        ["bin/reconciler.mjs", "plan", lab.repo, "--state-dir", lab.stateDir],
        {
          env: { ...process.env, ...viaProxy(), NO_COLOR: "1" },
        },
      ).then(
        (r) => ({ code: 0, ...r }),
        (e: { code: number; stdout: string; stderr: string }) => e,
      );
      expect(result.code).toBe(5);
      expect(result.stderr).toMatch(
        /cannot reach the XMPP server: .*cannot connect to the XMPP server \(ECONNRESET\)/,
      );
      expect(result.stderr).not.toMatch(/unhandled|at .*\.js:\d+/i);
    } finally {
      proxy.resetAfterClientChunk(undefined);
    }
  });
});

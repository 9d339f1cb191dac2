import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimFleet } from "../../../reconciler/sim/index.ts";
import type { XmppServer } from "../../../reconciler/sim/xmpp-server/index.ts";
import {
  AuthFailedError,
  NotAuthorizedError,
  TlsUntrustedError,
  type Transport,
  TransportLostError,
} from "../../../reconciler/src/transport/index.ts";
import { startTestServer } from "../support/xmpp-server.ts";
import { connect, eventually, registerAll, startFleet, switchSpecs } from "./lab.ts";

let server: XmppServer;
let fleet: SimFleet;
const names = ["leaf1", "leaf2"];
const otherCaDir = mkdtempSync(join(tmpdir(), "other-ca-"));
const otherCa = join(otherCaDir, "ca.crt");

beforeAll(async () => {
  server = await startTestServer({ domain: "securitydemo.lab" });
  const specs = switchSpecs(server, names, { groups: ["leaf"] });
  await registerAll(server, specs);
  await server.register("intruder", "intruder-pw");
  fleet = await startFleet(server, specs);
  execFileSync(
    "openssl",
    [
      ...["req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"],
      ...["-keyout", join(otherCaDir, "ca.key"), "-out", otherCa, "-days", "1", "-subj", "/CN=Other CA"],
    ],
    { stdio: "ignore" },
  );
});

afterAll(async () => {
  await fleet?.stop();
  await server?.stop();
  rmSync(otherCaDir, { recursive: true, force: true });
});

describe("transport: connection failures", () => {
  it("refuses a server whose certificate does not chain to the fabric's CA", async () => {
    const error = await connect(server, names, { caFile: otherCa }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TlsUntrustedError);
    expect((error as TlsUntrustedError).code).toBe("tls-untrusted");
    expect((error as Error).message).toContain(otherCa);
  });

  it("refuses a wrong password with auth-failed", async () => {
    const error = await connect(server, names, { password: "wrong" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFailedError);
    expect((error as AuthFailedError).code).toBe("auth-failed");
  });

  it("fails at once when nothing listens, with connect-failed", async () => {
    const error = await connect(server, names, { port: 1 }).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("connect-failed");
  });

  it("is refused by the switches when it is not an authorized sender", async () => {
    const intruder = await connect(server, names, {
      jid: `intruder@${server.domain}`,
      password: "intruder-pw",
    });
    try {
      const error = await intruder.send("leaf1", "show version").catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotAuthorizedError);
      expect((error as NotAuthorizedError).switchMessage).toMatch(/^% Authorization denied/);
      // in a room the switches stay silent for strangers: the request times out per member
      const replies = await intruder.sendToGroup("leaf", "show version", { members: names, timeoutMs: 400 });
      expect([...replies.values()].every((r) => !r.ok && r.error.code === "timeout")).toBe(true);
    } finally {
      await intruder.close();
    }
  });
});

describe("transport: server outage", () => {
  let transport: Transport;
  const warnings: string[] = [];

  beforeAll(async () => {
    transport = await connect(
      server,
      names,
      { backoff: { initialMs: 100, maxMs: 400, factor: 2 } },
      warnings,
    );
  });
  afterAll(() => transport?.close());

  it("fails requests in flight with transport-lost when the server stops, and works again after it restarts", async () => {
    await fleet.get("leaf1").setFaults(["slow=3000"]);
    const inFlight = transport.send("leaf1", "show version", { timeoutMs: 20_000 }).catch((e: unknown) => e);
    const groupInFlight = transport
      .sendToGroup("leaf", "show version", { members: names, timeoutMs: 20_000 })
      .catch((e: unknown) => e);
    await new Promise((r) => setTimeout(r, 200));
    const stopped = Date.now();
    await server.kill();
    const error = await inFlight;
    expect(error).toBeInstanceOf(TransportLostError);
    expect((error as TransportLostError).code).toBe("transport-lost");
    const group = (await groupInFlight) as Map<string, { ok: boolean; error?: { code: string } }>;
    expect(group.get("leaf1")?.error?.code).toBe("transport-lost");
    expect(Date.now() - stopped).toBeLessThan(5000);

    const whileDown = await transport.send("leaf2", "show version").catch((e: unknown) => e);
    expect(whileDown).toBeInstanceOf(TransportLostError);

    await fleet.get("leaf1").setFaults([]);
    await server.start();
    // the switches reconnect by themselves too; both sides re-join their rooms
    await eventually(() => transport.onlineDevices().size === 2, 20_000, "switches back online");
    expect(await transport.send("leaf1", "show running-config section hostname")).toBe("hostname leaf1");
    const replies = await transport.sendToGroup("leaf", "show running-config section hostname", {
      members: names,
    });
    expect(replies.get("leaf2")).toEqual({ ok: true, text: "hostname leaf2" });
  });
});

describe("transport: a link that goes dark", () => {
  it("notices an unanswered ping, fails requests in flight as transport-lost and reconnects", async () => {
    const transport = await connect(server, names, {
      pingIntervalMs: 400,
      backoff: { initialMs: 100, maxMs: 400, factor: 2 },
    });
    try {
      server.freeze();
      const error = await transport
        .send("leaf1", "show version", { timeoutMs: 20_000 })
        .catch((e: unknown) => e);
      expect((error as { code?: string }).code).toBe("transport-lost");
      server.thaw();
      await eventually(() => transport.onlineDevices().has("leaf1"), 20_000, "leaf1 seen again");
      expect(await transport.send("leaf1", "show running-config section hostname")).toBe("hostname leaf1");
    } finally {
      server.thaw();
      await transport.close();
    }
  });
});

describe("transport: a server without TLS", () => {
  let plain: XmppServer;
  beforeAll(async () => {
    plain = await startTestServer({ domain: "securitydemo.lab", withoutTls: true });
    await plain.register("reconciler", "rec-secret");
  });
  afterAll(() => plain?.stop());

  it("is refused unless the fabric says insecure-permit", async () => {
    const error = await connect(plain, []).catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("tls-untrusted");
    expect((error as Error).message).toMatch(/did not offer TLS/);
  });

  it("is used with insecure-permit, with a loud warning", async () => {
    const warnings: string[] = [];
    const transport = await connect(plain, [], { tls: "insecure-permit" }, warnings);
    await transport.close();
    expect(warnings.join("\n")).toMatch(/WITHOUT TLS/);
  });
});

/** The syslog listener on real loopback sockets: UDP, TCP and mutual-TLS, fed by the simulator's sender. */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatSyslog, sendSyslog } from "../../../reconciler/sim/index.ts";
import { ensureServerCerts, issueSwitchCertificate } from "../../../reconciler/sim/xmpp-server/certs.ts";
import {
  type ReceivedSyslog,
  type SyslogListener,
  startSyslogListener,
} from "../../../reconciler/src/events/index.ts";

let dir: string;
let listener: SyslogListener;
let pem: { ca: string; leaf3: { cert: string; key: string }; stranger: { cert: string; key: string } };
const received: ReceivedSyslog[] = [];
const faults: { transport: string; source: string; reason: string }[] = [];
let waiters: { count: () => number; n: number; resolve: () => void }[] = [];
const settle = () => {
  const done = waiters.filter((w) => w.count() >= w.n);
  waiters = waiters.filter((w) => !done.includes(w));
  for (const w of done) w.resolve();
};
/** Resolves once `n` messages (or faults) have arrived in total; the test timeout bounds the wait. */
const until = (count: () => number, n: number) =>
  new Promise<void>((resolve) => {
    waiters.push({ count, n, resolve });
    settle();
  });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "syslog-listener-"));
  const certs = await ensureServerCerts(join(dir, "pki"), "reconciler.lab");
  const leaf3 = await issueSwitchCertificate(join(dir, "pki"), "leaf3");
  // A certificate from another CA: the listener must refuse it.
  await ensureServerCerts(join(dir, "other-pki"), "elsewhere.lab");
  const stranger = await issueSwitchCertificate(join(dir, "other-pki"), "leaf3");
  const read = (path: string) => readFile(path, "utf8");
  pem = {
    ca: await read(certs.caCert),
    leaf3: { cert: await read(leaf3.cert), key: await read(leaf3.key) },
    stranger: { cert: await read(stranger.cert), key: await read(stranger.key) },
  };
  listener = await startSyslogListener({
    udp: { host: "127.0.0.1", port: 0 },
    tcp: { host: "127.0.0.1", port: 0 },
    tls: {
      host: "127.0.0.1",
      port: 0,
      cert: await read(certs.serverCert),
      key: await read(certs.serverKey),
      ca: pem.ca,
    },
    maxMessageBytes: 1024,
    onMessage: (message) => {
      received.push(message);
      settle();
    },
    onFault: (fault) => {
      faults.push(fault);
      settle();
    },
  });
});
afterAll(async () => {
  await listener?.close();
  await rm(dir, { recursive: true, force: true });
});

const line = (message: string) => formatSyslog({ host: "leaf3", app: "Bgp", message });

describe("syslog listener", () => {
  it("receives a UDP datagram with the sender's own loopback address as its source", async () => {
    const before = received.length;
    await sendSyslog(
      { transport: "udp", host: "127.0.0.1", port: listener.addresses.udp!.port, from: "127.0.0.13" },
      [line("over udp")],
    );
    await until(() => received.length, before + 1);
    expect(received.at(-1)).toMatchObject({ transport: "udp", source: "127.0.0.13" });
    expect(received.at(-1)!.text).toMatch(/ leaf3 Bgp - - - over udp$/);
    expect(received.at(-1)!.certificateNames).toBeUndefined();
  });

  it("receives several octet-counted messages over one TCP connection, in order", async () => {
    const before = received.length;
    await sendSyslog(
      { transport: "tcp", host: "127.0.0.1", port: listener.addresses.tcp!.port, from: "127.0.0.14" },
      [line("first"), line("second"), line("third")],
    );
    await until(() => received.length, before + 3);
    const got = received.slice(before);
    expect(got.map((m) => m.text.split(" - - - ")[1])).toEqual(["first", "second", "third"]);
    expect(got.every((m) => m.transport === "tcp" && m.source === "127.0.0.14")).toBe(true);
  });

  it("over TLS, passes on the names in the switch's verified certificate", async () => {
    const before = received.length;
    await sendSyslog(
      {
        transport: "tls",
        host: "127.0.0.1",
        port: listener.addresses.tls!.port,
        tls: { ...pem.leaf3, ca: pem.ca },
      },
      [line("over tls")],
    );
    await until(() => received.length, before + 1);
    expect(received.at(-1)).toMatchObject({ transport: "tls", certificateNames: ["leaf3"] });
  });

  it("refuses a TLS sender whose certificate another CA signed, and reports the fault", async () => {
    const before = { received: received.length, faults: faults.length };
    await sendSyslog(
      {
        transport: "tls",
        host: "127.0.0.1",
        port: listener.addresses.tls!.port,
        tls: { ...pem.stranger, ca: pem.ca },
      },
      [line("from a stranger")],
    ).catch(() => undefined);
    await until(() => faults.length, before.faults + 1);
    expect(faults.at(-1)).toMatchObject({ transport: "tls" });
    expect(faults.at(-1)!.reason).toMatch(/^TLS: /);
    expect(received.length).toBe(before.received);
  });

  it("ends a TCP connection whose frame is over the size limit, delivering nothing of it", async () => {
    const before = { received: received.length, faults: faults.length };
    await sendSyslog({ transport: "tcp", host: "127.0.0.1", port: listener.addresses.tcp!.port }, [
      line("x".repeat(2000)),
    ]).catch(() => undefined);
    await until(() => faults.length, before.faults + 1);
    expect(faults.at(-1)).toMatchObject({ transport: "tcp", source: "127.0.0.1" });
    expect(faults.at(-1)!.reason).toMatch(/exceeds the limit of 1024/);
    expect(received.length).toBe(before.received);
  });

  it("drops a UDP datagram over the size limit and reports it", async () => {
    const before = { received: received.length, faults: faults.length };
    await sendSyslog({ transport: "udp", host: "127.0.0.1", port: listener.addresses.udp!.port }, [
      line("y".repeat(2000)),
    ]);
    await until(() => faults.length, before.faults + 1);
    expect(faults.at(-1)).toMatchObject({ transport: "udp" });
    expect(received.length).toBe(before.received);
  });
});

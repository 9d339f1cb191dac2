/**
 * Transport benchmark: N simulated switches (default 200) on one throw-away Prosody, on this machine.
 *   1. the floor: a raw @xmpp/client requester and N raw echo clients (bench.mjs style, thread-correlated);
 *   2. the reconciler's transport against N simulated switches (the real CLI, EOS-like replies):
 *      connect all, 1:1 round trip p50/p99, sustained request/replies per second, one groupchat to an
 *      N-member room with every reply collected vs N separate 1:1 requests.
 * Throughput in both phases uses one worker per switch, one request in flight each (the transport's
 * rule), so the ratio measures the transport's overhead, not a different concurrency.
 * Prints one JSON object.
 *
 *   npm run --silent bench:transport -- [--switches 200] [--requests 10000] [--rtt 300] [--fanouts 10]
 */
import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { type Client, type Element, xml } from "@xmpp/client";
import { generatedSwitches } from "../reconciler/sim/from-fabric.ts";
import { startSimulatedFabric } from "../reconciler/sim/index.ts";
import { startProsody } from "../reconciler/sim/prosody/index.ts";
import { setUpRooms } from "../reconciler/sim/room-setup.ts";
import {
  connectTransport,
  createXmppClient,
  startXmppClient,
  stopXmppClient,
} from "../reconciler/src/transport/index.ts";

const { values } = parseArgs({
  options: {
    switches: { type: "string", default: "200" },
    requests: { type: "string", default: "10000" },
    rtt: { type: "string", default: "300" },
    fanouts: { type: "string", default: "10" },
  },
});
const N = Number(values.switches);
const REQUESTS = Number(values.requests);
const RTT_SAMPLES = Number(values.rtt);
const FANOUTS = Number(values.fanouts);
const DOMAIN = "bench.test";
const MUC = `groups.${DOMAIN}`;
const COMMAND = "show privilege";
/** Requests before each measurement, not counted (JIT warm-up; the first phase would pay it alone). */
const WARMUP = 1000;
/** Interleaved throughput rounds per kind (the median is reported). */
const ROUNDS = 3;

const now = () => performance.now();
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return round2(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN);
};
const round2 = (x: number) => Math.round(x * 100) / 100;
const log = (m: string) => process.stderr.write(`[bench:transport] ${m}\n`);

/** `count` requests spread over `workers` sequential workers (worker i talks to switch i only). */
async function sustained(workers: number, count: number, one: (worker: number) => Promise<unknown>) {
  const per = Math.ceil(count / workers);
  const t = now();
  await Promise.all(
    Array.from({ length: workers }, async (_, w) => {
      for (let i = 0; i < per; i++) await one(w);
    }),
  );
  const seconds = (now() - t) / 1000;
  return {
    requests: per * workers,
    seconds: round2(seconds),
    perSecond: Math.round((per * workers) / seconds),
  };
}

const server = await startProsody({
  domain: DOMAIN,
  mucService: MUC,
  mucPresenceBroadcastModeratorOnly: true,
});
const ca = [readFileSync(server.caFile, "utf8")];
const results: Record<string, unknown> = {
  switches: N,
  machine: { cores: (await import("node:os")).cpus().length, node: process.version },
  date: new Date().toISOString().slice(0, 10),
};

try {
  const specs = generatedSwitches(N, { domain: DOMAIN, mucService: MUC, rackSize: 10 });
  const echoUsers = Array.from({ length: N }, (_, i) => ({
    user: `echo${i + 1}`,
    password: `echo${i + 1}-pw`,
  }));
  const tr = now();
  await server.registerMany([
    { user: "reconciler", password: "rec-pw" },
    ...echoUsers,
    ...specs.map((s) => ({ user: s.name, password: s.password ?? "" })),
  ]);
  results.registerAccountsMs = round2(now() - tr);

  // ---- phase 1: raw @xmpp/client floor -------------------------------------------------------------
  log(`raw floor: ${N} echo clients`);
  const raw = (user: string, password: string): Client =>
    createXmppClient({
      host: server.host,
      port: server.port,
      domain: DOMAIN,
      resource: "raw",
      tls: "starttls",
      credentials: { kind: "password", username: user, password },
      tlsMaterial: { ca },
    });
  const echoes = echoUsers.map((a) => raw(a.user, a.password));
  const te = now();
  await Promise.all(echoes.map((x, i) => startXmppClient(x, echoUsers[i]!.user, server.caFile)));
  results.rawConnectAllMs = round2(now() - te);
  for (const x of echoes) {
    x.on("stanza", (s: Element) => {
      if (!s.is("message") || s.attrs.type !== "chat" || !s.attrs.from) return;
      void x.send(
        xml(
          "message",
          { to: s.attrs.from, type: "chat" },
          xml("body", {}, "Current privilege level is 15"),
          xml("thread", {}, s.getChildText("thread") ?? ""),
        ),
      );
    });
  }
  const requester = raw("reconciler", "rec-pw");
  await startXmppClient(requester, "raw requester", server.caFile);
  const pending = new Map<string, () => void>();
  requester.on("stanza", (s: Element) => {
    const th = s.is("message") ? s.getChildText("thread") : null;
    if (th) pending.get(th)?.();
  });
  let seq = 0;
  const rawRequest = (to: string) =>
    new Promise<void>((resolve) => {
      const id = `q${++seq}`;
      pending.set(id, () => {
        pending.delete(id);
        resolve();
      });
      void requester.send(
        xml("message", { to, type: "chat", id }, xml("body", {}, COMMAND), xml("thread", {}, id)),
      );
    });

  // ---- the reconciler's transport and simulated switches -------------------------------------------
  // Room `all` as the README has an operator set up a group room: the reconciler its owner, every switch
  // a member. This server broadcasts only moderators' presence in rooms, so the transport learns who
  // answers in the room from the occupant list that the room gives its owner (transport/occupant-list.ts).
  const tm = now();
  await setUpRooms({
    server: { host: server.host, port: server.port, domain: DOMAIN, caFile: server.caFile },
    owner: { user: "reconciler", password: "rec-pw" },
    rooms: [{ room: `all@${MUC}`, members: specs.map((s) => `${s.name}@${DOMAIN}`) }],
  });
  results.roomSetUpMs = round2(now() - tm);
  log(`transport: ${N} simulated switches`);
  const tc = now();
  const fleet = await startSimulatedFabric({
    server: { host: server.host, port: server.port, domain: DOMAIN, mucService: MUC, caFile: server.caFile },
    switches: specs,
    authorizedJids: [`reconciler@${DOMAIN}`],
    loginConcurrency: 32,
  });
  results.simConnectAndJoinAllMs = round2(now() - tc);
  const names = specs.map((s) => s.name);
  const tt = now();
  const transport = await connectTransport(
    {
      host: server.host,
      port: server.port,
      domain: DOMAIN,
      mucService: MUC,
      jid: `reconciler@${DOMAIN}`,
      resource: "reconciler",
      password: "rec-pw",
      caFile: server.caFile,
      tls: "starttls",
      cliMode: "multiline",
      replyTimeoutMs: 30_000,
      maxInFlight: 1024,
      maxBodyBytes: 60_000,
    },
    {
      deviceJid: (n) => `${n}@${DOMAIN}`,
      groupRoom: (g) => `${g}@${MUC}`,
      deviceNames: () => names,
    },
    { onWarning: (m) => log(`warning: ${m}`) },
  );
  results.reconcilerConnectMs = round2(now() - tt);
  // presence of every switch (roster subscriptions are set up on the first login): then measure quietly
  while (transport.onlineDevices().size < N) await new Promise((r) => setTimeout(r, 20));
  results.reconcilerSeesAllOnlineMs = round2(now() - tt);

  // Three kinds of request, measured in interleaved rounds so that load from elsewhere on the machine
  // falls on all of them alike: (1) the floor, raw client ↔ raw echo clients; (2) the raw client ↔ the
  // simulated switches (the switch side's cost); (3) the transport ↔ the simulated switches.
  const kinds: Record<string, (w: number) => Promise<unknown>> = {
    rawEchoFloor: (w) => rawRequest(`echo${w + 1}@${DOMAIN}/raw`),
    rawAgainstSimulator: (w) => rawRequest(`${names[w]}@${DOMAIN}/eos`),
    transport: (w) => transport.send(names[w]!, COMMAND),
  };
  const rtts: Record<string, number[]> = {};
  const rates: Record<string, number[]> = {};
  for (const [kind, one] of Object.entries(kinds)) {
    await sustained(N, WARMUP, one);
    rtts[kind] = [];
    for (let i = 0; i < RTT_SAMPLES; i++) {
      const t = now();
      await one(i % N);
      rtts[kind]!.push(now() - t);
    }
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [kind, one] of Object.entries(kinds)) {
      const rate = (await sustained(N, Math.ceil(REQUESTS / ROUNDS), one)).perSecond;
      rates[kind] = [...(rates[kind] ?? []), rate];
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const kind of Object.keys(kinds)) {
    results[kind] = {
      rttP50Ms: pct(rtts[kind]!, 50),
      rttP99Ms: pct(rtts[kind]!, 99),
      requestsPerSecondMedian: median(rates[kind]!),
      requestsPerSecondRounds: rates[kind],
    };
  }
  const transportRate = median(rates.transport!);
  results.throughputRatioToRawEchoFloor = round2(transportRate / median(rates.rawEchoFloor!));
  results.throughputRatioToRawAgainstSimulator = round2(transportRate / median(rates.rawAgainstSimulator!));
  await Promise.all([...echoes, requester].map(stopXmppClient));

  // ---- one groupchat to the N-member room vs N separate 1:1 requests --------------------------------
  await transport.sendToGroup("all", COMMAND, { members: names }); // joins the room
  const fan: number[] = [];
  const fanChat: number[] = [];
  const separate: number[] = [];
  const groupOnce = async (into: number[]) => {
    const t = now();
    const replies = await transport.sendToGroup("all", COMMAND, { members: names });
    into.push(now() - t);
    const failed = [...replies.values()].filter((r) => !r.ok).length;
    if (failed > 0) {
      const first = [...replies.values()].find((r) => !r.ok);
      throw new Error(
        `group fan-out: ${failed} of ${N} members failed (first: ${first && !first.ok ? first.error.message : ""})`,
      );
    }
  };
  for (let k = 0; k < FANOUTS; k++) {
    await groupOnce(fan);
    const t = now();
    await Promise.all(names.map((n) => transport.send(n, COMMAND)));
    separate.push(now() - t);
  }
  // the same group command, the switches answering by chat instead of in the room
  for (const sw of fleet.switches.values()) sw.groupReplies = "sender";
  for (let k = 0; k < FANOUTS; k++) await groupOnce(fanChat);
  results.fanOut = {
    groupchatRepliesInRoomMs: { p50: pct(fan, 50), p99: pct(fan, 99) },
    groupchatRepliesByChatMs: { p50: pct(fanChat, 50), p99: pct(fanChat, 99) },
    separate1to1Ms: { p50: pct(separate, 50), p99: pct(separate, 99) },
  };
  const ts = now();
  await transport.close();
  await fleet.stop();
  results.disconnectAllMs = round2(now() - ts);
} finally {
  await server.stop();
}
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);

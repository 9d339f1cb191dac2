import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimFleet } from "../../../reconciler/sim/index.ts";
import type { XmppServer } from "../../../reconciler/sim/xmpp-server/index.ts";
import { CommandError, type Transport } from "../../../reconciler/src/transport/index.ts";
import { startTestServer } from "../support/xmpp-server.ts";
import { connect, registerAll, startFleet, switchSpecs } from "./lab.ts";

let server: XmppServer;
let fleet: SimFleet;
const perSender = ["ps1", "ps2"];
const perSenderQuiet = ["psq1"];
const multiline = ["ml1"];

beforeAll(async () => {
  server = await startTestServer({ domain: "securitydemo.lab" });
  const specs = [
    ...switchSpecs(server, perSender, { cliMode: "per-sender", groups: ["ps"] }),
    ...switchSpecs(server, perSenderQuiet, { cliMode: "per-sender", echoThread: false }),
    ...switchSpecs(server, multiline, { cliMode: "multiline" }),
  ];
  await registerAll(server, specs);
  fleet = await startFleet(server, specs);
});

afterAll(async () => {
  await fleet?.stop();
  await server?.stop();
});

const script = (session: string) => [
  `configure session ${session}`,
  "interface Ethernet1",
  "   description changed by per-sender",
  "   exit",
  "vlan 30",
  "   name web",
  "   exit",
  `show session-config named ${session} diffs`,
];

describe("transport: per-sender CLI mode (one line per message)", () => {
  let transport: Transport;
  beforeAll(async () => {
    transport = await connect(server, [...perSender, ...perSenderQuiet], { cliMode: "per-sender" });
  });
  afterAll(() => transport?.close());

  it("sends the lines in order and returns the final line's reply", async () => {
    const diff = await transport.sendScript("ps1", script("p1"));
    expect(diff).toContain("+   description changed by per-sender");
    expect(diff).toContain("+vlan 30");
    // the sender's CLI is still in the session: EXEC one-liners naming the session work from there
    expect(
      await transport.sendScript("ps1", [
        "configure session p1 commit",
        "show running-config section vlan 30",
      ]),
    ).toBe("vlan 30\n   name web");
  });

  it("does the same without thread echo", async () => {
    const diff = await transport.sendScript("psq1", script("p2"));
    expect(diff).toContain("+vlan 30");
    expect(diff.startsWith("--- system:/running-config")).toBe(true);
  });

  it("collects an error of a middle line and still waits for the final line", async () => {
    const error = await transport
      .sendScript("psq1", [
        "configure session p3",
        "frobnicate",
        "vlan 31",
        "show session-config named p3 diffs",
      ])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).output).toContain("+vlan 31");
    // the stream is still in step: the next request gets its own answer
    expect(await transport.send("psq1", "show running-config section hostname")).toBe("hostname psq1");
  });

  it("runs per-sender scripts in a room", async () => {
    const lines = [
      "configure session p4",
      "vlan 40",
      "   name app",
      "   exit",
      "show session-config named p4 diffs",
    ];
    const replies = await transport.sendScriptToGroup("ps", lines, { members: perSender });
    for (const name of perSender) {
      const r = replies.get(name);
      expect(r?.ok ? r.text : String(r?.error)).toContain("+vlan 40\n+   name app");
    }
  });

  it("returns an empty reply for a script that prints nothing (an empty diff) instead of timing out", async () => {
    const lines = [
      "configure session p5",
      "vlan 30",
      "   name web",
      "   exit",
      "show session-config named p5 diffs",
    ];
    expect(await transport.sendScript("ps1", lines)).toBe("");
    expect(await transport.sendScript("psq1", ["show running-config section no-such-thing"])).toBe("");
  });
});

describe("transport: multiline mode splits a script longer than a message", () => {
  it("cuts at a section boundary and re-enters the session and section in the next message", async () => {
    const transport = await connect(server, multiline, { maxBodyBytes: 400 });
    try {
      const vlans = Array.from({ length: 40 }, (_, i) => [`vlan ${100 + i}`, `   name v${100 + i}`]).flat();
      const diff = await transport.sendScript("ml1", [
        "configure session big",
        ...vlans,
        "show session-config named big diffs",
      ]);
      for (let i = 0; i < 40; i++) expect(diff).toContain(`+vlan ${100 + i}\n+   name v${100 + i}`);
    } finally {
      await transport.close();
    }
  });
});

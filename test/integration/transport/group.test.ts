import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimFleet } from "../../../reconciler/sim/index.ts";
import type { XmppServer } from "../../../reconciler/sim/xmpp-server/index.ts";
import { TimeoutError, type Transport } from "../../../reconciler/src/transport/index.ts";
import { startTestServer } from "../support/xmpp-server.ts";
import { connect, registerAll, startFleet, switchSpecs } from "./lab.ts";

let server: XmppServer;
let fleet: SimFleet;
let transport: Transport;
const big = Array.from({ length: 50 }, (_, i) => `sw${i + 1}`);
const pair = ["spine1", "spine2"];
const quiet = ["leaf5", "leaf6"]; // do not echo the thread

beforeAll(async () => {
  server = await startTestServer({ domain: "securitydemo.lab" });
  const specs = [
    ...switchSpecs(server, pair, { groups: ["spine", "all"] }),
    ...switchSpecs(server, big, { groups: ["rack50"] }),
    ...switchSpecs(server, quiet, { groups: ["quiet"], echoThread: false }),
  ];
  await registerAll(server, specs);
  fleet = await startFleet(server, specs);
  transport = await connect(server, [...pair, ...big, ...quiet]);
});

afterAll(async () => {
  await transport?.close();
  await fleet?.stop();
  await server?.stop();
});

describe("transport: group rooms", () => {
  it("sends one groupchat to a room of 2 and maps each reply to its switch", async () => {
    const replies = await transport.sendToGroup("spine", "show running-config section hostname", {
      members: pair,
    });
    expect([...replies.keys()]).toEqual(pair);
    expect(replies.get("spine1")).toEqual({ ok: true, text: "hostname spine1" });
    expect(replies.get("spine2")).toEqual({ ok: true, text: "hostname spine2" });
  });

  it("collects all 50 replies of a 50-member room", async () => {
    const replies = await transport.sendToGroup("rack50", "show running-config section hostname", {
      members: big,
    });
    expect(replies.size).toBe(50);
    for (const name of big) expect(replies.get(name)).toEqual({ ok: true, text: `hostname ${name}` });
  });

  it("maps replies without a thread by occupant, one group request per room at a time", async () => {
    const [a, b] = await Promise.all([
      transport.sendToGroup("quiet", "show running-config section hostname", { members: quiet }),
      transport.sendToGroup("quiet", "show running-config section vlan", { members: quiet }),
    ]);
    expect(a.get("leaf5")).toEqual({ ok: true, text: "hostname leaf5" });
    expect(a.get("leaf6")).toEqual({ ok: true, text: "hostname leaf6" });
    expect(b.get("leaf6")).toEqual({ ok: true, text: "vlan 10\n   name servers" });
  });

  it("reports a member that did not answer as a failure with its name, and the others as answered", async () => {
    await fleet.get("spine2").setFaults(["drop-reply"]);
    try {
      // Long enough for spine1 to answer on a busy machine; spine2 never does.
      const replies = await transport.sendToGroup("spine", "show version", {
        members: pair,
        timeoutMs: 3_000,
      });
      expect(replies.get("spine1")?.ok).toBe(true);
      const missing = replies.get("spine2");
      expect(missing?.ok).toBe(false);
      if (missing?.ok === false) {
        expect(missing.error).toBeInstanceOf(TimeoutError);
        expect(missing.error.device).toBe("spine2");
      }
    } finally {
      await fleet.get("spine2").setFaults([]);
    }
  });

  it("runs a config-session script in a room, each member answering with its own diff", async () => {
    const replies = await transport.sendScriptToGroup(
      "all",
      ["configure session g1", "ntp server 192.0.2.1", "show session-config named g1 diffs"],
      { members: pair },
    );
    for (const name of pair) {
      const r = replies.get(name);
      expect(r?.ok && r.text).toContain("+ntp server 192.0.2.1");
    }
    await transport.sendToGroup("all", "configure session g1 abort\nshow version", { members: pair });
  });

  it("ignores its own reflected message and answers from switches outside the member list", async () => {
    // spine1 and spine2 are both in "all"; asking for one member only must not wait for or report the other
    const replies = await transport.sendToGroup("all", "show version", { members: ["spine1"] });
    expect([...replies.keys()]).toEqual(["spine1"]);
  });
});

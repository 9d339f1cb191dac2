import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimFleet } from "../../../reconciler/sim/index.ts";
import type { XmppServer } from "../../../reconciler/sim/xmpp-server/index.ts";
import { CommandError, NotAuthorizedError, type Transport } from "../../../reconciler/src/transport/index.ts";
import { startTestServer } from "../support/xmpp-server.ts";
import { connect, eventually, RECONCILER, registerAll, startFleet, switchSpecs } from "../transport/lab.ts";

let server: XmppServer;
let fleet: SimFleet;
let transport: Transport;
let operator: Transport;
const names = ["leaf1", "leaf2", "leaf3", "leaf4"];

beforeAll(async () => {
  server = await startTestServer({ domain: "securitydemo.lab" });
  const specs = switchSpecs(server, names, { groups: ["leaf"] });
  await registerAll(server, specs);
  await server.register("admin", "admin-pw");
  fleet = await startFleet(server, specs, [`${RECONCILER}@${server.domain}`, `admin@${server.domain}`]);
  transport = await connect(server, names);
  operator = await connect(server, names, { jid: `admin@${server.domain}`, password: "admin-pw" });
});

afterAll(async () => {
  await transport?.close();
  await operator?.close();
  await fleet?.stop();
  await server?.stop();
});

const hostname = (device: string) => transport.send(device, "show running-config section hostname");

describe("simulated switch over XMPP", () => {
  it("rolls back a commit timer that nobody confirms", async () => {
    await transport.sendScript("leaf1", ["configure session ct1", "hostname leaf1-new", "end"]);
    await transport.send("leaf1", "configure session ct1 commit timer 00:00:01");
    expect(await hostname("leaf1")).toBe("hostname leaf1-new");
    await eventually(() => fleet.get("leaf1").runningConfig().includes("hostname leaf1\n"), 5000, "rollback");
    expect(await hostname("leaf1")).toBe("hostname leaf1");
    const error = await transport.send("leaf1", "configure session ct1 commit").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
  });

  it("keeps a timed commit that is confirmed in time", async () => {
    await transport.sendScript("leaf1", ["configure session ct2", "ntp server 192.0.2.10", "end"]);
    await transport.send("leaf1", "configure session ct2 commit timer 00:00:01");
    await transport.send("leaf1", "configure session ct2 commit");
    await new Promise((r) => setTimeout(r, 1300));
    expect(await transport.send("leaf1", "show running-config section ntp")).toBe("ntp server 192.0.2.10");
  });

  it("joins the room of a switch-group added by a committed change, and leaves it when removed", async () => {
    const room = `dc1@${server.mucService}`;
    await transport.sendScript("leaf2", [
      "configure session sg",
      "management xmpp",
      `   switch-group ${room}`,
      "end",
    ]);
    expect(fleet.get("leaf2").rooms()).not.toContain(room);
    await transport.send("leaf2", "configure session sg commit");
    await eventually(() => fleet.get("leaf2").rooms().includes(room), 5000, "leaf2 in dc1");
    const replies = await transport.sendToGroup("dc1", "show running-config section hostname", {
      members: ["leaf2"],
    });
    expect(replies.get("leaf2")).toEqual({ ok: true, text: "hostname leaf2" });

    await transport.sendScript("leaf2", [
      "configure",
      "management xmpp",
      `   no switch-group ${room}`,
      "end",
    ]);
    await eventually(() => !fleet.get("leaf2").rooms().includes(room), 5000, "leaf2 out of dc1");
  });

  it("runs commands at its configured session privilege", async () => {
    await transport.sendScript("leaf3", ["configure", "management xmpp", "   session privilege 1", "end"]);
    const error = await transport.send("leaf3", "show running-config").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NotAuthorizedError);
    expect(await transport.send("leaf3", "show xmpp status")).toContain(
      "Default privilege level for received commands: 1",
    );
  });

  it("accepts commands from an operator JID it lists", async () => {
    expect(await operator.send("leaf4", "show running-config section hostname")).toBe("hostname leaf4");
  });

  it("refuses a line matching a reject fault with % Invalid input", async () => {
    await fleet.get("leaf4").setFaults(["reject=vlan 30"]);
    try {
      const error = await transport
        .sendScript("leaf4", ["configure session rj", "vlan 30", "end", "show session-config named rj diffs"])
        .catch((e: unknown) => e);
      expect((error as CommandError).switchMessage).toBe("% Invalid input (at token 0: 'vlan')");
    } finally {
      await fleet.get("leaf4").setFaults([]);
      await transport.send("leaf4", "configure session rj abort");
    }
  });

  it("drops its connection in the middle of a config session and comes back with the session intact", async () => {
    await fleet.get("leaf4").setFaults(["disconnect-in-session"]);
    const error = await transport
      .sendScript("leaf4", ["configure session dc", "vlan 77", "end", "show session-config named dc diffs"], {
        timeoutMs: 1500,
      })
      .catch((e: unknown) => e);
    expect((error as { code?: string }).code).toBe("timeout");
    await eventually(() => fleet.get("leaf4").isOnline, 10_000, "leaf4 back");
    // the fault fired before "vlan 77" was applied; the session itself survived the disconnect
    expect(await transport.send("leaf4", "show configuration sessions")).toContain("dc");
    await transport.send("leaf4", "configure session dc abort");
  });

  it("changes its running config out of band (drift)", async () => {
    await fleet.get("leaf3").setFaults(["drift=vlan 555;   name rogue"]);
    expect(fleet.get("leaf3").runningConfig()).toContain("vlan 555\n   name rogue");
  });

  it("answers slowly with a slow fault", async () => {
    await fleet.get("leaf2").setFaults(["slow=400"]);
    try {
      const started = Date.now();
      await transport.send("leaf2", "show version");
      expect(Date.now() - started).toBeGreaterThanOrEqual(380);
    } finally {
      await fleet.get("leaf2").setFaults([]);
    }
  });
});

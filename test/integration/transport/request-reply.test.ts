import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimFleet } from "../../../reconciler/sim/index.ts";
import type { XmppServer } from "../../../reconciler/sim/xmpp-server/index.ts";
import {
  CommandError,
  NotAuthorizedError,
  OfflineError,
  TimeoutError,
  type Transport,
} from "../../../reconciler/src/transport/index.ts";
import { startTestServer } from "../support/xmpp-server.ts";
import { connect, eventually, registerAll, startFleet, switchSpecs } from "./lab.ts";

let server: XmppServer;
let fleet: SimFleet;
let transport: Transport;
const names = ["leaf1", "leaf2", "leaf3", "leaf4"];

beforeAll(async () => {
  server = await startTestServer({ domain: "securitydemo.lab" });
  const specs = [
    ...switchSpecs(server, ["leaf1", "leaf2"], { groups: ["leaf"] }),
    ...switchSpecs(server, ["leaf3"], { groups: ["leaf"], echoThread: false }),
    ...switchSpecs(server, ["leaf4"], { privilege: 1 }),
  ];
  await registerAll(server, specs);
  fleet = await startFleet(server, specs);
  transport = await connect(server, names);
});

afterAll(async () => {
  await transport?.close();
  await fleet?.stop();
  await server?.stop();
});

describe("transport: one switch", () => {
  it("sends a command and returns the switch's reply", async () => {
    const reply = await transport.send("leaf1", "show running-config section hostname");
    expect(reply).toBe("hostname leaf1");
  });

  it("matches replies in order when the switch does not echo the thread", async () => {
    const replies = await Promise.all([
      transport.send("leaf3", "show running-config section hostname"),
      transport.send("leaf3", "show running-config section vlan"),
      transport.send("leaf3", "show xmpp status"),
    ]);
    expect(replies[0]).toBe("hostname leaf3");
    expect(replies[1]).toBe("vlan 10\n   name servers");
    expect(replies[2]).toContain("Client username: leaf3@securitydemo.lab");
  });

  it("runs a config-session script whose last line prints, and applies nothing before commit", async () => {
    const diff = await transport.sendScript("leaf2", [
      "configure session t1",
      "vlan 30",
      "   name web",
      "   exit",
      "show session-config named t1 diffs",
    ]);
    expect(diff).toContain("+++ session:/t1-session-config");
    expect(diff).toContain("+vlan 30");
    expect(fleet.get("leaf2").runningConfig()).not.toContain("vlan 30");
    await transport.send("leaf2", "configure session t1 abort\nshow running-config section vlan");
  });

  it("fails with command-error and the switch's % message", async () => {
    const error = await transport.send("leaf1", "show frobnicate").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CommandError);
    expect((error as CommandError).code).toBe("command-error");
    expect((error as CommandError).switchMessage).toBe("% Invalid input (at token 1: 'frobnicate')");
  });

  it("reports a privilege-1 switch refusing config commands as not-authorized", async () => {
    const error = await transport
      .sendScript("leaf4", ["configure session x", "vlan 30", "show version"])
      .catch((e) => e);
    expect(error).toBeInstanceOf(NotAuthorizedError);
    expect((error as NotAuthorizedError).code).toBe("not-authorized");
    expect((error as NotAuthorizedError).switchMessage).toBe("% Invalid input (privileged mode required)");
    expect(await transport.send("leaf4", "show version")).toContain("Software image version");
  });

  it("times out when the switch does not answer, naming it", async () => {
    await fleet.get("leaf1").setFaults(["drop-reply"]);
    try {
      const error = await transport.send("leaf1", "show version", { timeoutMs: 300 }).catch((e) => e);
      expect(error).toBeInstanceOf(TimeoutError);
      expect((error as TimeoutError).code).toBe("timeout");
      expect((error as TimeoutError).device).toBe("leaf1");
    } finally {
      await fleet.get("leaf1").setFaults([]);
    }
    expect(await transport.send("leaf1", "show running-config section hostname")).toBe("hostname leaf1");
  });

  it("knows from presence which switches are online", async () => {
    await eventually(() => transport.onlineDevices().size === 4, 10_000, "presence of all four switches");
    await fleet.get("leaf2").setFaults(["offline"]);
    await eventually(() => !transport.onlineDevices().has("leaf2"), 10_000, "leaf2 going offline");
    // the server bounces a message to a switch with no session: offline at once, not a timeout
    const started = Date.now();
    const error = await transport.send("leaf2", "show version", { timeoutMs: 5000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OfflineError);
    expect(Date.now() - started).toBeLessThan(2000);
    await fleet.get("leaf2").setFaults([]);
    await eventually(() => transport.onlineDevices().has("leaf2"), 10_000, "leaf2 coming back");
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type SimFleet, startSimulatedFabric } from "../../../reconciler/sim/index.ts";
import type { XmppServer } from "../../../reconciler/sim/xmpp-server/index.ts";
import { AuthFailedError } from "../../../reconciler/src/transport/index.ts";
import { startTestServer } from "../support/xmpp-server.ts";
import { connect, RECONCILER, switchConfig } from "./lab.ts";

let server: XmppServer;
let fleet: SimFleet;

beforeAll(async () => {
  server = await startTestServer({ domain: "securitydemo.lab", clientCerts: true });
  const leaf1 = await server.issueClientCert("leaf1");
  fleet = await startSimulatedFabric({
    server: { ...server, host: server.host },
    switches: [
      {
        name: "leaf1",
        clientCert: leaf1,
        runningConfig: switchConfig("leaf1", server, { groups: ["leaf"] }),
      },
    ],
    authorizedJids: [`${RECONCILER}@${server.domain}`],
  });
});

afterAll(async () => {
  await fleet?.stop();
  await server?.stop();
});

describe("transport: mutual TLS + SASL EXTERNAL", () => {
  it("logs in with a client certificate signed by the fabric CA and talks to a switch that does too", async () => {
    const cert = await server.issueClientCert(RECONCILER);
    const transport = await connect(server, ["leaf1"], { clientCert: cert, password: undefined });
    try {
      expect(await transport.send("leaf1", "show running-config section hostname")).toBe("hostname leaf1");
      const replies = await transport.sendToGroup("leaf", "show xmpp status", { members: ["leaf1"] });
      const r = replies.get("leaf1");
      expect(r?.ok && r.text).toContain("Client username: leaf1@securitydemo.lab");
    } finally {
      await transport.close();
    }
  });

  it("is refused when the certificate names another JID", async () => {
    const leaf1 = await server.issueClientCert("leaf1");
    const error = await connect(server, ["leaf1"], { clientCert: leaf1, password: undefined }).catch(
      (e) => e,
    );
    expect(error).toBeInstanceOf(AuthFailedError);
  });

  it("is refused without a client certificate (passwords are not offered)", async () => {
    const error = await connect(server, ["leaf1"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFailedError);
    expect((error as Error).message).toMatch(/does not offer SASL PLAIN|refused the login/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimFleet } from "../../../reconciler/sim/index.ts";
import type { XmppServer } from "../../../reconciler/sim/xmpp-server/index.ts";
import { TlsUntrustedError } from "../../../reconciler/src/transport/index.ts";
import { startTestServer } from "../support/xmpp-server.ts";
import { connect, registerAll, startFleet, switchSpecs } from "./lab.ts";

let server: XmppServer;
let fleet: SimFleet;

beforeAll(async () => {
  server = await startTestServer({ domain: "securitydemo.lab", directTls: true });
  const specs = switchSpecs(server, ["leaf1"]);
  await registerAll(server, specs);
  fleet = await startFleet(server, specs);
});

afterAll(async () => {
  await fleet?.stop();
  await server?.stop();
});

describe("transport: direct TLS (xmpps://)", () => {
  it("connects with TLS from the first byte, verified against the fabric CA", async () => {
    const transport = await connect(server, ["leaf1"], { tls: "direct-tls", port: server.directTlsPort! });
    try {
      expect(await transport.send("leaf1", "show running-config section hostname")).toBe("hostname leaf1");
    } finally {
      await transport.close();
    }
  });

  it("refuses the server when the CA is not the fabric's", async () => {
    const error = await connect(server, ["leaf1"], {
      tls: "direct-tls",
      port: server.directTlsPort!,
      caFile: undefined,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TlsUntrustedError);
  });
});

import type { Authenticate, Client } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import { credentialsHandler } from "../../../reconciler/src/transport/sasl.ts";

const entity = (secure: boolean) => ({ isSecure: () => secure }) as unknown as Client;

function recorder(): { calls: [Record<string, unknown>, string][]; authenticate: Authenticate } {
  const calls: [Record<string, unknown>, string][] = [];
  return { calls, authenticate: async (c, m) => void calls.push([c, m]) };
}

describe("credentialsHandler", () => {
  it("uses PLAIN inside TLS", async () => {
    const r = recorder();
    await credentialsHandler({ kind: "password", username: "rec", password: "pw" }, false)(
      r.authenticate,
      ["SCRAM-SHA-1", "PLAIN"],
      null,
      entity(true),
    );
    expect(r.calls).toEqual([[{ username: "rec", password: "pw" }, "PLAIN"]]);
  });

  it("never sends a password on a stream without TLS unless insecure-permit allows it", async () => {
    const r = recorder();
    const handler = credentialsHandler({ kind: "password", username: "rec", password: "pw" }, false);
    await expect(handler(r.authenticate, ["PLAIN"], null, entity(false))).rejects.toThrow(
      /did not offer TLS/,
    );
    expect(r.calls).toEqual([]);
    const permitted = credentialsHandler({ kind: "password", username: "rec", password: "pw" }, true);
    await permitted(r.authenticate, ["PLAIN"], null, entity(false));
    expect(r.calls).toHaveLength(1);
  });

  it("uses EXTERNAL with a non-empty authzid for a client certificate", async () => {
    const r = recorder();
    await credentialsHandler({ kind: "external", jid: "rec@lab" }, false)(
      r.authenticate,
      ["EXTERNAL"],
      null,
      entity(true),
    );
    expect(r.calls).toEqual([[{ authzid: "rec@lab" }, "EXTERNAL"]]);
  });
});

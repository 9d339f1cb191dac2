/**
 * Who speaks for a switch, tried with rogue clients on the real XMPP server: an account of its own that
 * joins a room under a switch's nickname, a room that hides real JIDs, and a second session of a switch's
 * own account, with and without presence. Only the switch's announced session is ever taken as its reply.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimFleet } from "../../../reconciler/sim/index.ts";
import type { XmppServer } from "../../../reconciler/sim/xmpp-server/index.ts";
import {
  ReplyTooLargeError,
  RoomAnonymousError,
  SessionConflictError,
  type Transport,
} from "../../../reconciler/src/transport/index.ts";
import { type RogueClient, startRogueClient } from "../support/rogue-client.ts";
import { startTestServer } from "../support/xmpp-server.ts";
import { connect, eventually, RECONCILER, registerAll, startFleet, switchSpecs } from "./lab.ts";

let server: XmppServer;
let fleet: SimFleet;
let transport: Transport;
const leaves = ["leaf1", "leaf2"];
const rogues: RogueClient[] = [];
const FAKE_CONFIG = "hostname leaf1\nvlan 666";

beforeAll(async () => {
  server = await startTestServer({ domain: "identity.lab" });
  const specs = switchSpecs(server, leaves, { groups: ["leaf"] });
  await registerAll(server, specs);
  await server.register("mallory", "mallory-pw");
  fleet = await startFleet(server, specs);
  transport = await connect(server, leaves);
  await eventually(() => leaves.every((l) => transport.onlineDevices().has(l)), 10_000, "presence");
});

afterAll(async () => {
  for (const r of rogues) await r.close().catch(() => undefined);
  await transport?.close();
  await fleet?.stop();
  await server?.stop();
});

async function rogue(
  account: { user: string; password: string; resource: string },
  options?: { announcePresence?: boolean },
): Promise<RogueClient> {
  const client = await startRogueClient(server, account, options);
  rogues.push(client);
  return client;
}

const reconcilerJid = () => `${RECONCILER}@${server.domain}`;

describe("who speaks for a switch", () => {
  it("ignores an occupant that joined the room under a switch's nickname and forges its reply", async () => {
    const mallory = await rogue({ user: "mallory", password: "mallory-pw", resource: "laptop" });
    await mallory.joinRoom(`leaf@${server.mucService}`, "Leaf1");
    mallory.forgeReplies(reconcilerJid(), "% Invalid input (at token 0: 'forged')");
    try {
      const replies = await transport.sendToGroup("leaf", "show running-config section hostname", {
        members: leaves,
      });
      expect(mallory.received.length).toBeGreaterThan(0); // it did answer, in the room, with our thread
      expect(replies.get("leaf1")).toEqual({ ok: true, text: "hostname leaf1" });
      expect(replies.get("leaf2")).toEqual({ ok: true, text: "hostname leaf2" });
    } finally {
      await mallory.close();
    }
  });

  it("refuses a room that hides its occupants' real JIDs, for every member, with a named error", async () => {
    const mallory = await rogue({ user: "mallory", password: "mallory-pw", resource: "owner" });
    const room = `hidden@${server.mucService}`;
    await mallory.joinRoom(room, "owner");
    await mallory.makeSemiAnonymous(room);
    mallory.forgeReplies(reconcilerJid(), "hostname leaf1");
    const replies = await transport.sendToGroup("hidden", "show running-config section hostname", {
      members: leaves,
    });
    for (const device of leaves) {
      const reply = replies.get(device);
      expect(reply?.ok).toBe(false);
      const error = reply && !reply.ok ? reply.error : undefined;
      expect(error).toBeInstanceOf(RoomAnonymousError);
      expect(error).toMatchObject({ code: "room-anonymous", device });
      expect(error?.message).toMatch(/hides its occupants' real JIDs/);
    }
    expect(mallory.received).toEqual([]); // nothing was sent to the room
    await mallory.close();
  });

  it("fails a request answered by a second, silent session of the switch's account, naming both sessions", async () => {
    const leaf1 = fleet.get("leaf1");
    const impostor = await rogue({
      user: "leaf1",
      password: leaf1.spec.password ?? "",
      resource: "rogue",
    });
    await leaf1.setFaults([{ kind: "slow-reply", ms: 1500 }]);
    try {
      const pending = transport.send("leaf1", "show running-config", { timeoutMs: 5000 }).catch((e) => e);
      await new Promise((r) => setTimeout(r, 200));
      await impostor.chat(reconcilerJid(), FAKE_CONFIG);
      const error = await pending;
      expect(error).toBeInstanceOf(SessionConflictError);
      expect(error).toMatchObject({ code: "session-conflict", device: "leaf1" });
      expect((error as SessionConflictError).sessions).toEqual([
        `leaf1@${server.domain}/eos`,
        `leaf1@${server.domain}/rogue`,
      ]);
    } finally {
      await leaf1.setFaults([]);
      await impostor.close();
    }
    // the switch's own session still answers
    const reply = await transport.send("leaf1", "show running-config section hostname");
    expect(reply).toBe("hostname leaf1");
  });

  it("refuses to ask a switch whose account has two announced sessions, until only one is left", async () => {
    const leaf2 = fleet.get("leaf2");
    const impostor = await rogue(
      { user: "leaf2", password: leaf2.spec.password ?? "", resource: "second" },
      { announcePresence: true },
    );
    impostor.forgeReplies(reconcilerJid(), "hostname leaf2\nvlan 666");
    await new Promise((r) => setTimeout(r, 300)); // its presence reaches the reconciler
    const error = await transport.send("leaf2", "show running-config").catch((e) => e);
    expect(error).toBeInstanceOf(SessionConflictError);
    expect((error as SessionConflictError).sessions.sort()).toEqual([
      `leaf2@${server.domain}/eos`,
      `leaf2@${server.domain}/second`,
    ]);
    const group = await transport.sendToGroup("leaf", "show running-config section hostname", {
      members: leaves,
    });
    expect(group.get("leaf1")).toEqual({ ok: true, text: "hostname leaf1" });
    const refused = group.get("leaf2");
    expect(refused && !refused.ok && refused.error.code).toBe("session-conflict");
    expect(impostor.received).toEqual([]);

    await impostor.close();
    // its unavailable presence leaves the switch's own session as the only one
    let reply: unknown;
    for (let i = 0; i < 20 && typeof reply !== "string"; i++) {
      reply = await transport.send("leaf2", "show running-config section hostname").catch((e) => e);
      if (typeof reply !== "string") await new Promise((r) => setTimeout(r, 100));
    }
    expect(reply).toBe("hostname leaf2");
  });

  it("fails a reply that grows past the bound with a named error", async () => {
    const small = await connect(server, leaves, { maxReplyBytes: 200 });
    try {
      await eventually(() => small.onlineDevices().has("leaf1"), 10_000, "presence");
      const error = await small.send("leaf1", "show running-config").catch((e) => e);
      expect(error).toBeInstanceOf(ReplyTooLargeError);
      expect(error).toMatchObject({ code: "reply-too-large", device: "leaf1", limitBytes: 200 });
      expect(await small.send("leaf1", "show running-config section hostname")).toBe("hostname leaf1");
    } finally {
      await small.close();
    }
  });
});

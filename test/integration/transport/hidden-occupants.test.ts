/**
 * Group rooms on a server that broadcasts only moderators' presence (Prosody
 * `muc_room_default_presence_broadcast = { moderator = true }`, ejabberd `presence_broadcast: [moderator]`):
 * the reconciler sees no switch's presence in the room, so it must ask the room who is in it. As the
 * room's owner (the README's set-up) it may; in a room where it is a plain participant it may not, and the
 * request fails at once with a named error instead of timing out member by member.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimFleet } from "../../../reconciler/sim/index.ts";
import { setUpRooms } from "../../../reconciler/sim/room-setup.ts";
import type { XmppServer } from "../../../reconciler/sim/xmpp-server/index.ts";
import type { Transport } from "../../../reconciler/src/transport/index.ts";
import { startTestServer } from "../support/xmpp-server.ts";
import {
  connect,
  eventually,
  RECONCILER,
  RECONCILER_PASSWORD,
  registerAll,
  startFleet,
  switchSpecs,
} from "./lab.ts";

let server: XmppServer;
let fleet: SimFleet;
let transport: Transport;
const owned = ["leaf1", "leaf2", "leaf3", "leaf4"];
const foreign = ["spine1", "spine2", "spine3"];
const hostnames = (names: string[]) => new Map(names.map((n) => [n, { ok: true, text: `hostname ${n}` }]));

beforeAll(async () => {
  server = await startTestServer({ domain: "hidden.lab", mucPresenceBroadcastModeratorOnly: true });
  const specs = [
    ...switchSpecs(server, owned, { groups: ["leaf"] }),
    ...switchSpecs(server, foreign, { groups: ["spine"] }),
  ];
  await registerAll(server, specs);
  // `leaf` as the README sets a group room up; `spine` is created by whichever spine joins first
  await setUpRooms({
    server,
    owner: { user: RECONCILER, password: RECONCILER_PASSWORD },
    rooms: [{ room: `leaf@${server.mucService}`, members: owned.map((n) => `${n}@${server.domain}`) }],
  });
  fleet = await startFleet(server, specs);
  transport = await connect(server, [...owned, ...foreign]);
  await eventually(
    () => transport.onlineDevices().size === owned.length + foreign.length,
    20_000,
    "presence",
  );
}, 60_000);

afterAll(async () => {
  await transport?.close();
  await fleet?.stop();
  await server?.stop();
});

describe("transport: a room that broadcasts only moderators' presence", () => {
  it("ties every reply in the room to its switch through the occupant list the room gives its owner", async () => {
    for (let round = 0; round < 2; round++) {
      const replies = await transport.sendToGroup("leaf", "show running-config section hostname", {
        members: owned,
      });
      expect(replies).toEqual(hostnames(owned));
    }
  });

  it("fails at once, naming the room and the fix, where the reconciler may not see the occupants", async () => {
    const started = Date.now();
    const replies = await transport.sendToGroup("spine", "show running-config section hostname", {
      members: foreign,
      timeoutMs: 30_000,
    });
    expect(Date.now() - started).toBeLessThan(15_000);
    const codes = [...replies.values()].map((r) => (r.ok ? "ok" : r.error.code));
    // the spine that created the room is its moderator: its presence, and so its reply, is seen
    expect(codes.filter((c) => c === "room-occupants-hidden").length).toBeGreaterThanOrEqual(
      foreign.length - 1,
    );
    expect(codes.every((c) => c === "ok" || c === "room-occupants-hidden")).toBe(true);
    const failed = [...replies.values()].find((r) => !r.ok);
    expect(failed && !failed.ok && failed.error.message).toMatch(/spine@.*owner or admin of the room/);
  });

  it("works again after the server restarts: the room is re-joined and asked again", async () => {
    await server.kill();
    await server.start();
    await eventually(
      () => transport.onlineDevices().size === owned.length + foreign.length,
      30_000,
      "back online",
    );
    // the switches re-join on their own reconnect, after the reconciler may have re-joined
    await eventually(
      () => owned.every((n) => fleet.get(n).rooms().length > 0),
      30_000,
      "leaves in their room",
    );
    const replies = await transport.sendToGroup("leaf", "show running-config section hostname", {
      members: owned,
    });
    expect(replies).toEqual(hostnames(owned));
  }, 90_000);
});

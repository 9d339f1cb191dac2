import { readFileSync } from "node:fs";
import { access } from "node:fs/promises";
import { type Client, type Element, xml } from "@xmpp/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { XmppServer } from "../../reconciler/sim/xmpp-server/index.ts";
import {
  createXmppClient,
  startXmppClient,
  stopXmppClient,
} from "../../reconciler/src/transport/connection.ts";
import { AuthFailedError, TlsUntrustedError } from "../../reconciler/src/transport/errors.ts";
import { startTestServer, TEST_SERVER } from "./support/xmpp-server.ts";

let server: XmppServer;
const clients: Client[] = [];

function connect(user: string, password: string, ca: string[] | undefined): Client {
  const x = createXmppClient({
    host: server.host,
    port: server.port,
    domain: server.domain,
    resource: "test",
    tls: "starttls",
    credentials: { kind: "password", username: user, password },
    tlsMaterial: ca ? { ca } : {},
  });
  clients.push(x);
  return x;
}

function nextStanza(x: Client, match: (s: Element) => boolean): Promise<Element> {
  return new Promise((resolve) => {
    const on = (s: Element) => {
      if (match(s)) {
        x.off("stanza", on);
        resolve(s);
      }
    };
    x.on("stanza", on);
  });
}

async function join(x: Client, room: string, nick: string): Promise<void> {
  const joined = nextStanza(
    x,
    (s) =>
      s.is("presence") &&
      s.attrs.from === `${room}/${nick}` &&
      (s.getChild("x", "http://jabber.org/protocol/muc#user")?.getChildren("status") ?? []).some(
        (c) => c.attrs.code === "110",
      ),
  );
  await x.send(
    xml("presence", { to: `${room}/${nick}` }, xml("x", { xmlns: "http://jabber.org/protocol/muc" })),
  );
  await joined;
}

beforeAll(async () => {
  server = await startTestServer({ domain: "securitydemo.lab" });
  await server.registerMany([
    { user: "reconciler", password: "rec-pass" },
    { user: "leaf1", password: "leaf1-pass" },
  ]);
});

afterAll(async () => {
  await Promise.all(clients.map(stopXmppClient));
  await server?.stop();
});

describe(`throw-away ${TEST_SERVER}`, () => {
  it("serves TLS verified against its own CA, a room, and messages", async () => {
    const ca = [readFileSync(server.caFile, "utf8")];
    const rec = connect("reconciler", "rec-pass", ca);
    const leaf = connect("leaf1", "leaf1-pass", ca);
    await startXmppClient(rec, "reconciler", server.caFile);
    await startXmppClient(leaf, "leaf1", server.caFile);
    expect(rec.isSecure()).toBe(true);

    const room = `leafs@${server.mucService}`;
    await join(leaf, room, "leaf1");
    await join(rec, room, "reconciler");
    const got = nextStanza(
      leaf,
      (s) => s.is("message") && s.attrs.type === "groupchat" && s.attrs.from === `${room}/reconciler`,
    );
    await rec.send(xml("message", { to: room, type: "groupchat" }, xml("body", {}, "show version")));
    expect((await got).getChildText("body")).toBe("show version");
  });

  it("refuses a wrong password with auth-failed", async () => {
    const bad = connect("leaf1", "wrong", [readFileSync(server.caFile, "utf8")]);
    const error = await startXmppClient(bad, "leaf1", server.caFile).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthFailedError);
    expect((error as AuthFailedError).code).toBe("auth-failed");
    expect((error as Error).message).toMatch(/refused the login \(not-authorized\)/);
  });

  it("is not trusted by a client that lacks its CA", async () => {
    const untrusting = connect("leaf1", "leaf1-pass", undefined);
    const error = await startXmppClient(untrusting, "leaf1", server.caFile).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TlsUntrustedError);
    expect((error as Error).message).toMatch(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN/);
  });

  it("keeps accounts across a restart on the same port", async () => {
    const port = server.port;
    await server.restart();
    expect(server.port).toBe(port);
    const again = connect("leaf1", "leaf1-pass", [readFileSync(server.caFile, "utf8")]);
    await startXmppClient(again, "leaf1", server.caFile);
    expect(again.status).toBe("online");
  });

  it("presets mutual rosters, as after first contact", async () => {
    await server.registerMany(["owner1", "c1", "c2"].map((user) => ({ user, password: `${user}-pass` })));
    await server.presetRosters("owner1", ["c1", "c2"]);
    const ca = [readFileSync(server.caFile, "utf8")];
    const roster = async (user: string) => {
      const x = connect(user, `${user}-pass`, ca);
      await startXmppClient(x, user, server.caFile);
      const answer = await x.iqCaller.request(
        xml("iq", { type: "get" }, xml("query", { xmlns: "jabber:iq:roster" })),
      );
      return (answer.getChild("query", "jabber:iq:roster")?.getChildren("item") ?? [])
        .map((i) => `${i.attrs.jid} ${i.attrs.subscription}${i.attrs.ask ? ` ask=${i.attrs.ask}` : ""}`)
        .sort();
    };
    const domain = server.domain;
    expect(await roster("owner1")).toEqual([`c1@${domain} both`, `c2@${domain} both`]);
    expect(await roster("c2")).toEqual([`owner1@${domain} both`]);
  });

  it("removes its directory on stop", async () => {
    const other = await startTestServer();
    await other.stop();
    await expect(access(other.dir)).rejects.toThrow();
  });
});

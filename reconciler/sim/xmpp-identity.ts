/**
 * What a simulated switch reads from its OWN running config's `management xmpp` block: who it logs in as,
 * its domain, the privilege received commands run at, and the rooms (switch groups) it joins. A committed
 * change to that block therefore changes what the switch does, as on EOS.
 */
import type { ConfigNode } from "./cli/config-tree.ts";

export interface XmppIdentity {
  /** Local part of `username` (EOS shows the full JID). */
  user: string | undefined;
  domain: string | undefined;
  /** `session privilege N`; EOS's default for received commands is 1. */
  privilege: number;
  /** Room JIDs from `switch-group ROOM@SERVICE` (a bare name gets the default MUC service). */
  rooms: string[];
  server: string | undefined;
  port: number;
  isShutdown: boolean;
}

export function readXmppIdentity(running: ConfigNode[], defaultMuc: string): XmppIdentity {
  const block = running.find((n) => n.text === "management xmpp");
  const lines = block?.children.map((c) => c.text) ?? [];
  const value = (keyword: string) =>
    lines.find((l) => l.startsWith(`${keyword} `))?.slice(keyword.length + 1);
  const username = value("username")?.split(" ")[0];
  const [user, userDomain] = username?.includes("@") ? username.split("@") : [username, undefined];
  const privilege = Number(value("session privilege") ?? 1);
  const server = value("server")?.split(" ");
  return {
    user,
    domain: value("domain") ?? userDomain,
    privilege: Number.isInteger(privilege) && privilege >= 0 && privilege <= 15 ? privilege : 1,
    rooms: lines
      .filter((l) => l.startsWith("switch-group "))
      .map((l) => l.split(" ")[1]!)
      .map((room) => (room.includes("@") ? room : `${room}@${defaultMuc}`).toLowerCase()),
    server: server?.[0],
    port: server?.[1] === "port" ? Number(server[2]) : 5222,
    isShutdown: lines.includes("shutdown"),
  };
}

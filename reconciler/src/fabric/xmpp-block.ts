import type { ConfigNode } from "./config-tree.ts";
import { defaultXmppPort } from "./normalise.ts";
import type { Device, SourcePosition, XmppSettings } from "./types.ts";

export const managementXmppHeader = "management xmpp";

/**
 * The switch's own `management xmpp` lines, rendered from the fabric so that the switch reaches the server
 * and joins one room per group (reference/eos-xmpp.md, field report). No `password` line: the secret is
 * not in git, and EOS shows it as `password 7 …`, which the fabric's ignore list covers.
 * `vrf`: the VRF fabric.yaml managementPath declares the switches reach the server in (a rendered
 * block without it would move the client to the default VRF on a switch that uses another).
 */
export function renderXmppLines(xmpp: XmppSettings, device: Device, vrf?: string): string[] {
  const port = xmpp.port === defaultXmppPort ? "" : ` port ${xmpp.port}`;
  return [
    "no shutdown",
    ...(vrf && vrf !== "default" ? [`vrf ${vrf}`] : []),
    `server ${xmpp.switchServer}${port}`,
    `username ${device.xmpp.jid}`,
    `domain ${xmpp.domain}`,
    `session privilege ${xmpp.sessionPrivilege}`,
    ...device.groups.map((group) => `switch-group ${group}@${xmpp.mucService}`),
  ];
}

/** The rendered lines as a config section, placed at the device file (they come from its membership). */
export function renderXmppSection(xmpp: XmppSettings, device: Device, vrf?: string): ConfigNode {
  const at: SourcePosition = device.position;
  const node = (text: string): ConfigNode => ({ text, rawText: text, children: [], position: at });
  return { ...node(managementXmppHeader), children: renderXmppLines(xmpp, device, vrf).map(node) };
}

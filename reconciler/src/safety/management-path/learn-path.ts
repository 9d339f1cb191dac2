import type { ConfigNode, ConfigTree } from "../../eos/index.ts";
import { type AddressSet, contains, ipv4, prefix } from "./ipv4.ts";
import {
  controlPlane,
  defaultVrf,
  interfaceLines,
  managementInterfaceName,
  staticRoute,
  xmppBlock,
} from "./platform.ts";

/** How one switch reaches the XMPP server: the elements a change must not cut (guard.ts). */
export interface ManagementPath {
  /** The server the switch connects to (its `management xmpp` server line, else the fabric's). */
  server: string;
  port: number;
  vrf: string;
  /** The interface the session leaves by; undefined when the config does not show it. */
  interface?: string;
  /** How each element was found, for messages ("declared in fabric.yaml", "learned: …"). */
  how: { vrf: string; interface: string };
}

/** What the fabric says about the path (fabric.yaml managementPath); what it leaves out is learned. */
export interface DeclaredPath {
  interface?: string;
  vrf?: string;
}

/**
 * Learns the path from a switch's running config: the VRF from `management xmpp` `vrf`, the interface
 * as the one in that VRF whose subnet holds the server, else the one the longest static route to the
 * server leaves by, else the management port in that VRF. The fabric's declaration wins. Pure.
 */
export function learnManagementPath(
  running: ConfigTree,
  xmpp: { server: string; port: number },
  declared: DeclaredPath = {},
): ManagementPath {
  const block = running.children.find((node) => xmppBlock.header.test(node.text));
  const serverLine = block?.children.map((c) => xmppBlock.server.exec(c.text)).find(Boolean);
  const server = serverLine?.[1] ?? xmpp.server;
  const port = serverLine?.[2] ? Number(serverLine[2]) : xmpp.port;
  const runningVrf = block?.children.map((c) => xmppBlock.vrf.exec(c.text)?.[1]).find(Boolean);
  const vrf = declared.vrf ?? runningVrf ?? defaultVrf;
  const how = {
    vrf: declared.vrf
      ? "declared in fabric.yaml managementPath"
      : runningVrf
        ? "learned from management xmpp"
        : "the default VRF",
    interface: "declared in fabric.yaml managementPath",
  };
  if (declared.interface) return { server, port, vrf, interface: declared.interface, how };
  const learned = learnInterface(running, server, vrf);
  return learned
    ? { server, port, vrf, interface: learned.name, how: { ...how, interface: learned.how } }
    : { server, port, vrf, how: { ...how, interface: "not shown by the config" } };
}

function learnInterface(
  tree: ConfigTree,
  server: string,
  vrf: string,
): { name: string; how: string } | undefined {
  const inVrf = interfacesIn(tree, vrf);
  const address = ipv4(server);
  if (address !== undefined) {
    const connected = inVrf.find((i) => i.subnets.some((s) => contains(s, address)));
    if (connected) return { name: connected.name, how: "learned: its subnet holds the server" };
    const route = routesTo(tree, vrf, server).find((r) => r.carries)?.route;
    const nextHop = route ? staticRoute.exec(route)![3]!.split(" ")[0]! : undefined;
    if (nextHop) {
      const hop = ipv4(nextHop);
      const via =
        hop === undefined
          ? inVrf.find((i) => i.name === nextHop)
          : inVrf.find((i) => i.subnets.some((s) => contains(s, hop)));
      if (via) return { name: via.name, how: `learned: the route "${route}" leaves by it` };
    }
  }
  const port = inVrf.find((i) => managementInterfaceName.test(i.name));
  return port ? { name: port.name, how: `learned: the management port in VRF ${vrf}` } : undefined;
}

/** Each interface of a VRF with its subnets. */
export function interfacesIn(
  tree: ConfigTree,
  vrf: string,
): { name: string; subnets: (AddressSet & { length: number })[] }[] {
  const result: { name: string; subnets: (AddressSet & { length: number })[] }[] = [];
  for (const node of tree.children) {
    const name = interfaceLines.header.exec(node.text)?.[1];
    if (!name || vrfOf(node) !== vrf) continue;
    const subnets = node.children
      .map((c) => interfaceLines.address.exec(c.text)?.[1])
      .map((a) => (a ? prefix(a) : undefined))
      .filter((s): s is NonNullable<typeof s> => s !== undefined);
    result.push({ name, subnets });
  }
  return result;
}

/** The VRF an interface block is in. */
export function vrfOf(node: ConfigNode): string {
  return node.children.map((c) => interfaceLines.vrf.exec(c.text)?.[1]).find(Boolean) ?? defaultVrf;
}

/**
 * The static routes of a VRF that cover the server, longest prefix first, each with whether it
 * carries (or could carry) the server's traffic: it must be longer than a connected subnet that
 * holds the server (the longest prefix wins; at equal length the connected one does). For a server
 * given by name, every route of the VRF, each one carrying (its address is not known here).
 */
export function routesTo(
  tree: ConfigTree,
  vrf: string,
  server: string,
): { route: string; carries: boolean }[] {
  const address = ipv4(server);
  const connected =
    address === undefined
      ? -1
      : Math.max(
          -1,
          ...interfacesIn(tree, vrf).flatMap((i) =>
            i.subnets.filter((s) => contains(s, address)).map((s) => s.length),
          ),
        );
  return tree.children
    .map((node) => ({ text: node.text, m: staticRoute.exec(node.text) }))
    .filter(({ m }) => m !== null && (m[1] ?? defaultVrf) === vrf)
    .map(({ text, m }) => ({ route: text, net: prefix(m![2]!) }))
    .filter(({ net }) => net !== undefined && (address === undefined || contains(net, address)))
    .sort((a, b) => b.net!.length - a.net!.length)
    .map(({ route, net }) => ({ route, carries: net!.length > connected }));
}

/** The control-plane ACLs that apply to a VRF. */
export function controlPlaneAcls(tree: ConfigTree, vrf: string): string[] {
  const block = tree.children.find((node) => controlPlane.header.test(node.text));
  return (block?.children ?? [])
    .map((c) => controlPlane.accessGroup.exec(c.text))
    .filter((m): m is RegExpExecArray => m !== null && (m[2] ?? defaultVrf) === vrf)
    .map((m) => m[1]!);
}

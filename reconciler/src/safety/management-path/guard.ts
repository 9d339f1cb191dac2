import type { ConfigNode, ConfigTree } from "../../eos/index.ts";
import { aclVerdict, type Flow } from "./acl-verdict.ts";
import { ipv4 } from "./ipv4.ts";
import { controlPlaneAcls, type ManagementPath, routesTo, vrfOf } from "./learn-path.ts";
import {
  accessListHeader,
  defaultVrf,
  interfaceLines,
  vrfHeader,
  xmppBlock,
  xmppTransport,
} from "./platform.ts";

/** The kinds of path element; a migration (fabric.yaml managementPath.migration) names the ones it changes. */
export const pathElements = ["xmpp-client", "vrf", "interface", "route", "acl"] as const;
export type PathElement = (typeof pathElements)[number];

/** One planned change that touches the management path. */
export interface PathFinding {
  element: PathElement;
  /** The element as config names it: "interface Management1", "vrf MGMT", "ip access-list MGMT-IN". */
  subject: string;
  message: string;
  /** Set when a reviewed migration allows this change: its reason. */
  allowedBy?: string;
}

export interface GuardInput {
  device: string;
  intended: ConfigTree;
  running: ConfigTree;
  /** The planned script and the config it leads to (remediate()). */
  remediation: { commands: readonly string[]; predicted: ConfigTree };
  path: ManagementPath;
  /** A reviewed migration for this switch: the elements it may change, and why. */
  migration?: { elements: readonly PathElement[]; reason: string };
}

/**
 * Every way the planned change would cut the switch off from the XMPP server, comparing the path
 * as it is (running) with the path as it will be (the predicted config): the XMPP client's server,
 * VRF and shutdown; the VRF; the interface's shutdown, VRF and address; the static routes to the
 * server; the ACLs on the interface and the control plane (a new or changed one must provably let
 * the session through). What the migration names is returned with `allowedBy`. Pure.
 */
export function guardManagementPath(input: GuardInput): PathFinding[] {
  const { path, running } = input;
  const after = input.remediation.predicted;
  const findings: Omit<PathFinding, "allowedBy">[] = [];
  const cut = (element: PathElement, subject: string, what: string) =>
    findings.push({
      element,
      subject,
      message: `${what}: ${subject} is on ${input.device}'s management path (${describePath(path)})`,
    });

  const xmppBefore = xmppState(running);
  const xmppAfter = xmppState(after);
  if (xmppBefore.present && !xmppAfter.present)
    cut("xmpp-client", "management xmpp", "removing management xmpp");
  else if (xmppBefore.present) {
    if (xmppBefore.server !== xmppAfter.server)
      cut(
        "xmpp-client",
        "management xmpp",
        `changing "${xmppBefore.server}" to "${xmppAfter.server ?? "no server"}"`,
      );
    if (!xmppBefore.shutdown && xmppAfter.shutdown) cut("xmpp-client", "management xmpp", `"shutdown"`);
    // The rendered block names a VRF only when fabric.yaml managementPath declares one.
    const keep =
      xmppAfter.vrf === defaultVrf ? ` (declare managementPath.vrf: ${xmppBefore.vrf} to keep it)` : "";
    if (xmppBefore.vrf !== xmppAfter.vrf)
      cut(
        "vrf",
        `vrf ${xmppBefore.vrf}`,
        `moving management xmpp from VRF ${xmppBefore.vrf} to VRF ${xmppAfter.vrf}${keep}`,
      );
  }
  if (path.vrf !== defaultVrf && hasVrf(running, path.vrf) && !hasVrf(after, path.vrf))
    cut("vrf", `vrf ${path.vrf}`, `removing VRF ${path.vrf}`);

  const name = path.interface;
  const before = name ? interfaceNode(running, name) : undefined;
  const later = name ? interfaceNode(after, name) : undefined;
  if (name && before) {
    const subject = `interface ${name}`;
    const defaulted = input.remediation.commands.some((c) => c.trim() === `default interface ${name}`);
    if (defaulted) cut("interface", subject, `"default interface ${name}" resets it`);
    else if (!later) cut("interface", subject, `removing ${subject}`);
    if (later && !defaulted) {
      if (!has(before, interfaceLines.shutdown) && has(later, interfaceLines.shutdown))
        cut("interface", subject, `"shutdown"`);
      if (vrfOf(before) !== vrfOf(later))
        cut(
          "vrf",
          subject,
          `moving ${name} from VRF ${vrfOf(before)} to VRF ${vrfOf(later)} (EOS drops its address)`,
        );
      const addressesBefore = values(before, interfaceLines.address).join(", ");
      const addressesAfter = values(later, interfaceLines.address).join(", ");
      if (addressesBefore !== addressesAfter)
        cut(
          "interface",
          subject,
          `changing its address from ${addressesBefore || "none"} to ${addressesAfter || "none"}`,
        );
    }
  }

  const routesBefore = routesTo(running, path.vrf, path.server);
  const routesAfter = routesTo(after, path.vrf, path.server);
  const lines = (routes: typeof routesBefore) => new Set(routes.map((r) => r.route));
  const [linesBefore, linesAfter] = [lines(routesBefore), lines(routesAfter)];
  for (const { route } of routesBefore.filter((r) => r.carries && !linesAfter.has(r.route)))
    cut("route", `"${route}"`, "removing the route to the server");
  for (const { route } of routesAfter.filter((r) => r.carries && !linesBefore.has(r.route)))
    cut("route", `"${route}"`, "adding a route that takes the server's traffic elsewhere");

  const local = later
    ? values(later, interfaceLines.address).map((a) => ipv4(a.split("/")[0]!))[0]
    : undefined;
  const server = ipv4(path.server);
  const port = [path.port, path.port] as const;
  const inbound: Flow = {
    source: server,
    sourcePorts: port,
    destination: local,
    destinationPorts: xmppTransport.ephemeralPorts,
    ack: "yes",
  };
  const outbound: Flow = {
    source: local,
    sourcePorts: xmppTransport.ephemeralPorts,
    destination: server,
    destinationPorts: port,
    ack: "maybe",
  };
  const bindings = (tree: ConfigTree, node: ConfigNode | undefined) => [
    ...(node?.children ?? [])
      .map((c) => interfaceLines.accessGroup.exec(c.text))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => ({
        acl: m[1]!,
        flow: m[2] === "in" ? inbound : outbound,
        where: `${m[2]} on interface ${name}`,
      })),
    ...controlPlaneAcls(tree, path.vrf).map((acl) => ({ acl, flow: inbound, where: "on the control plane" })),
  ];
  const boundBefore = new Set(bindings(running, before).map((b) => `${b.acl} ${b.where}`));
  for (const binding of bindings(after, later)) {
    const list = accessList(after, binding.acl);
    const changed =
      !boundBefore.has(`${binding.acl} ${binding.where}`) ||
      list?.text !== accessList(running, binding.acl)?.text;
    if (!changed || !list) continue; // EOS lets everything through an ACL that does not exist [inferred]
    const verdict = aclVerdict(list.entries, binding.flow, list.standard);
    if (verdict.permits) continue;
    const how = verdict.certain ? "denies" : "may deny";
    cut(
      "acl",
      `ip access-list ${binding.acl}`,
      `applied ${binding.where}, it ${how} the XMPP session (${verdict.entry})`,
    );
  }

  return findings.map((finding) =>
    input.migration?.elements.includes(finding.element)
      ? { ...finding, allowedBy: input.migration.reason }
      : finding,
  );
}

/** `server 172.17.3.253:5222 in VRF MGMT through Management1 (learned: …)`. */
export function describePath(path: ManagementPath): string {
  const through = path.interface ? ` through ${path.interface} (${path.how.interface})` : "";
  return `server ${path.server}:${path.port} in VRF ${path.vrf}${through}`;
}

function xmppState(tree: ConfigTree) {
  const block = tree.children.find((node) => xmppBlock.header.test(node.text));
  return {
    present: block !== undefined,
    server: block?.children.find((c) => xmppBlock.server.test(c.text))?.text,
    vrf: block?.children.map((c) => xmppBlock.vrf.exec(c.text)?.[1]).find(Boolean) ?? defaultVrf,
    shutdown: block ? has(block, xmppBlock.shutdown) : false,
  };
}

function hasVrf(tree: ConfigTree, vrf: string): boolean {
  return tree.children.some((node) => vrfHeader.exec(node.text)?.[1] === vrf);
}

function interfaceNode(tree: ConfigTree, name: string): ConfigNode | undefined {
  return tree.children.find((node) => interfaceLines.header.exec(node.text)?.[1] === name);
}

function has(node: ConfigNode, pattern: RegExp): boolean {
  return node.children.some((c) => pattern.test(c.text));
}

function values(node: ConfigNode, pattern: RegExp): string[] {
  return node.children.map((c) => pattern.exec(c.text)?.[1]).filter((v): v is string => v !== undefined);
}

function accessList(tree: ConfigTree, name: string) {
  for (const node of tree.children) {
    const m = accessListHeader.exec(node.text);
    if (m?.[2] !== name) continue;
    const entries = node.children.map((c) => c.text);
    return { standard: m[1] !== undefined, entries, text: entries.join("\n") };
  }
  return undefined;
}

import { excerpt } from "../../redaction/excerpt.ts";
import { fabricError } from "../errors.ts";
import type { FabricError } from "../types.ts";
import { managementXmppHeader, renderXmppLines } from "../xmpp-block.ts";
import type { FabricRule } from "./rule.ts";

/** Sub-commands of `management xmpp` that keep the switch connected as the reconciler expects. */
const reachabilityCommands = ["server", "domain", "username", "session privilege"];

const hint =
  "Remove the line. The lines that keep a switch reachable over XMPP are rendered from fabric.yaml xmpp and the device's groups, and the reconciler never changes them (DESIGN §6); change fabric.yaml xmpp instead.";

/**
 * Config that would cut the reconciler off from a switch: `no management xmpp`, `shutdown` under it, a
 * `no server`/`no domain`/`no username`, or a server/domain/username/session privilege other than the
 * rendered one. Checked on each layer, since the rendered block would otherwise hide the conflict.
 */
export const keepsXmppReachability: FabricRule = {
  name: "keepsXmppReachability",
  needsSettings: true,
  check({ fabric, renders }) {
    const errors: FabricError[] = [];
    const seen = new Set<string>();
    const reconcilerUser = fabric.xmpp.reconcilerJid.split("@")[0] ?? "";
    const report = (error: FabricError) => {
      const { file, line, col } = error.position;
      const key = `${file}:${line}:${col}`;
      if (seen.has(key)) return;
      seen.add(key);
      errors.push(error);
    };
    for (const render of renders.values()) {
      const device = fabric.devices[render.device];
      if (!device) continue;
      const expected = renderXmppLines(fabric.xmpp, device, fabric.managementPath.vrf);
      for (const layer of render.layers) {
        for (const node of layer.nodes) {
          if (isOwnAccountLine(node.text, reconcilerUser)) {
            report(
              fabricError(
                "xmpp-lockout",
                node.position,
                `"${node.text.split(/\s+/).slice(0, 2).join(" ")} …" changes the switch account of the reconciler (${fabric.xmpp.reconcilerJid}), which AAA uses to authorise its commands`,
                "Remove the line: the reconciler's own switch account is managed out of band, so that a change cannot lock it out (DESIGN §6).",
              ),
            );
          }
          if (/^(no|default)\s+management\s+xmpp$/.test(node.text)) {
            report(
              fabricError(
                "xmpp-lockout",
                node.position,
                `${excerpt(node.text)} would disconnect ${device.name} from the XMPP server the reconciler reaches it through`,
                hint,
              ),
            );
          }
          if (node.text !== managementXmppHeader) continue;
          for (const child of node.children) {
            const problem = lockoutProblem(child.text, expected, device.groups, fabric.xmpp.mucService);
            if (problem)
              report(fabricError("xmpp-lockout", child.position, `${problem} (for ${device.name})`, hint));
          }
        }
      }
    }
    return { errors };
  },
};

/**
 * With AAA, EOS authorises an XMPP command by the sender JID's user part (reference/eos-xmpp.md §2.1), so a
 * local `username reconciler …` line (its privilege, role or removal) can lock the reconciler out.
 */
function isOwnAccountLine(text: string, user: string): boolean {
  const match = /^(?:(?:no|default)\s+)?username\s+(\S+)/.exec(text);
  return match !== null && match[1] === user;
}

function lockoutProblem(
  text: string,
  expected: string[],
  groups: string[],
  mucService: string,
): string | undefined {
  if (/^(default\s+)?shutdown$/.test(text))
    return `"shutdown" under management xmpp would disconnect the switch`;
  const negated = /^(no|default)\s+(.*)$/.exec(text);
  if (negated) {
    const command = negated[2]!;
    if (reachabilityCommands.some((keyword) => command === keyword || command.startsWith(`${keyword} `))) {
      return `${excerpt(text)} under management xmpp would remove the switch's own XMPP ${command.split(" ")[0]}`;
    }
    const room = /^switch-group\s+(\S+)@/.exec(command)?.[1];
    if (room && groups.includes(room) && command.includes(`@${mucService}`)) {
      return `${excerpt(text)} would take the switch out of its group room ${room}`;
    }
    return undefined;
  }
  const keyword = reachabilityCommands.find((k) => text === k || text.startsWith(`${k} `));
  if (!keyword) return undefined;
  const rendered = expected.find((line) => line.startsWith(`${keyword} `));
  if (rendered === undefined || text === rendered) return undefined;
  return `${excerpt(text)} under management xmpp differs from the rendered ${excerpt(rendered)}`;
}

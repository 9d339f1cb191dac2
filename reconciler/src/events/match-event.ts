import { prefixHolding } from "../fabric/address-prefix.ts";
import type { Device, EventDeclaration, EventRule, Fabric } from "../fabric/types.ts";
import { fillTemplate, SAFE_CAPTURE } from "./change-template.ts";
import { identifySwitch } from "./identify-switch.ts";
import { parseSyslog } from "./parse-syslog.ts";
import type { ReceivedSyslog, SyslogEvent } from "./types.ts";

/** Why an event changes nothing, before any git work (the audit's `reason`). */
export type IgnoreReason =
  | "unknown-source"
  | "malformed"
  | "no-rule"
  | "not-declared"
  | "outside-prefixes"
  | "unsafe-capture";

export interface Ignored {
  outcome: "ignored";
  reason: IgnoreReason;
  detail: string;
  device?: string;
  rule?: string;
}

/** A matching event from a known switch: the change it asks for, not yet checked against git. */
export interface EventMatch {
  outcome: "match";
  rule: EventRule;
  device: Device;
  event: SyslogEvent;
  captures: Record<string, string>;
  /** The group or device file whose declaration matched, e.g. "groups/leaf.yaml". */
  declaredIn: string;
  /** The file the lines go to. */
  targetFile: string;
  /** The change lines, captures and declaration values filled in. */
  lines: string;
  /** One line for the audit and the log: "adding neighbor 192.0.2.2 to group INTERNAL". */
  summary: string;
  /** One change per key: rule, switch and captured values (the branch name's tail). */
  key: string;
}

export type MatchResult = Ignored | EventMatch;

/** Compiled rule expressions, per rule source (rules change only with a new fabric). */
const compiled = new Map<string, RegExp>();
function expressionOf(rule: EventRule): RegExp {
  let expression = compiled.get(rule.match);
  if (!expression) {
    expression = new RegExp(rule.match);
    compiled.set(rule.match, expression);
  }
  return expression;
}

/**
 * What an event from a switch asks for (pure): a known source, a rule whose expression matches, a
 * declaration of that rule on the switch (device file first, then its groups in order) whose prefixes
 * hold the captured address, and captures safe to write into config.
 */
export function matchEvent(fabric: Fabric, message: ReceivedSyslog): MatchResult {
  const device = identifySwitch(fabric, message);
  if (!device) {
    const by = message.transport === "tls" ? "certificate names" : "address";
    return {
      outcome: "ignored",
      reason: "unknown-source",
      detail: `no switch in git has the ${by} ${message.transport === "tls" ? (message.certificateNames ?? []).join(", ") || "(none)" : message.source}`,
    };
  }
  const parsed = parseSyslog(message.text);
  if (!parsed.ok)
    return { outcome: "ignored", reason: "malformed", detail: parsed.reason, device: device.name };
  const event = parsed.event;
  for (const rule of fabric.events.rules) {
    const found = expressionOf(rule).exec(event.message);
    if (!found) continue;
    const captures: Record<string, string> = { ...found.groups };
    const unsafe = Object.entries(captures).find(([, value]) => !SAFE_CAPTURE.test(value ?? ""));
    if (unsafe)
      return {
        outcome: "ignored",
        reason: "unsafe-capture",
        detail: `capture ${unsafe[0]} holds characters that may not go into config`,
        device: device.name,
        rule: rule.name,
      };
    return matchDeclaration(fabric, rule, device, event, captures);
  }
  return {
    outcome: "ignored",
    reason: "no-rule",
    detail: "no event rule matches the message",
    device: device.name,
  };
}

function matchDeclaration(
  fabric: Fabric,
  rule: EventRule,
  device: Device,
  event: SyslogEvent,
  captures: Record<string, string>,
): MatchResult {
  const declarations: [file: string, group: string | undefined, EventDeclaration][] = [];
  const own = device.events[rule.name];
  if (own) declarations.push([device.position.file, undefined, own]);
  for (const name of device.groups) {
    const group = fabric.groups[name];
    const declared = group?.events[rule.name];
    if (group && declared) declarations.push([group.position.file, name, declared]);
  }
  const ignored = (reason: IgnoreReason, detail: string): Ignored => ({
    outcome: "ignored",
    reason,
    detail,
    device: device.name,
    rule: rule.name,
  });
  if (declarations.length === 0)
    return ignored(
      "not-declared",
      `neither ${device.position.file} nor its groups declare events.${rule.name}`,
    );
  const address = rule.addressInside ? captures[rule.addressInside] : undefined;
  const chosen = rule.addressInside
    ? declarations.find(([, , d]) => prefixHolding(address ?? "", d.sourcePrefixes) !== undefined)
    : declarations[0];
  if (!chosen)
    return ignored(
      "outside-prefixes",
      `${address} is outside every prefix that ${device.name}'s files declare for ${rule.name} (${declarations.flatMap(([, , d]) => d.sourcePrefixes).join(", ")})`,
    );
  const [declaredIn, group, declaration] = chosen;
  const values = { ...declaration.values, ...captures };
  const targetFile = rule.change.file === "group" && group ? declaredIn : device.position.file;
  const summary = `${fillTemplate(rule.change.log ?? `adding ${rule.name} change`, values)} on ${device.name}`;
  return {
    outcome: "match",
    rule,
    device,
    event,
    captures,
    declaredIn,
    targetFile,
    lines: fillTemplate(rule.change.lines, values).trimEnd(),
    summary,
    // A change to a group file is one change for the group, whichever member logged the event.
    key: [
      targetFile === declaredIn && group ? group : device.name,
      ...Object.keys(captures)
        .sort()
        .map((k) => captures[k]!),
    ]
      .join("-")
      .replace(/[^A-Za-z0-9_-]+/g, "-"),
  };
}

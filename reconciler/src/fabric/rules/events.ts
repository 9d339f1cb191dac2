import { isIP } from "node:net";
import { checkConfigTree } from "../../safety/index.ts";
import { readPrefix } from "../address-prefix.ts";
import { configTreeOf } from "../config-tree.ts";
import { fabricError } from "../errors.ts";
import type { EventDeclaration, FabricError } from "../types.ts";
import { type FabricRule, fieldPosition } from "./rule.ts";

/** The named captures of a rule's regular expression, or why it does not compile. */
export function ruleCaptures(
  match: string,
): { ok: true; captures: string[] } | { ok: false; reason: string } {
  try {
    new RegExp(match);
  } catch (error) {
    return { ok: false, reason: (error as Error).message };
  }
  return { ok: true, captures: [...match.matchAll(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g)].map((m) => m[1]!) };
}

/** Why a prefix is not one Node's BlockList takes ("192.0.2.0/24", "2001:db8::/32"); undefined when it is. */
export function prefixProblem(prefix: string): string | undefined {
  const read = readPrefix(prefix);
  return read.ok ? undefined : read.problem;
}

/**
 * Event rules and the declarations that point at them: regular expressions that compile and name the
 * captures the rule uses, declarations of rules that exist with prefixes that parse, unique management
 * addresses (an event is attributed to a switch by its source), and change templates that pass the
 * safety policy as written (the rendered change is checked again when an event fills it in).
 */
export const eventRules: FabricRule = {
  name: "eventRules",
  needsSettings: true,
  check(context) {
    const errors: FabricError[] = [];
    const { rules } = context.fabric.events;
    const names = new Set<string>();
    rules.forEach((rule, index) => {
      const at = (...path: (string | number)[]) =>
        fieldPosition(context, "fabric.yaml", ["events", "rules", index, ...path]);
      if (names.has(rule.name))
        errors.push(
          fabricError(
            "event-rule",
            at("name"),
            `two event rules are named "${rule.name}"`,
            "Give each rule its own name: declarations, branches and the audit refer to it by name.",
          ),
        );
      names.add(rule.name);
      const compiled = ruleCaptures(rule.match);
      if (!compiled.ok) {
        errors.push(
          fabricError(
            "event-rule",
            at("match"),
            `event rule "${rule.name}": the regular expression does not compile: ${compiled.reason}`,
            "Write a JavaScript regular expression with named captures, e.g. Packet from (?<peer>[0-9.]+):[0-9]+ unexpectedly has MD5 digest.",
          ),
        );
      } else if (rule.addressInside && !compiled.captures.includes(rule.addressInside)) {
        errors.push(
          fabricError(
            "event-rule",
            at("addressInside", "capture"),
            `event rule "${rule.name}": addressInside names capture "${rule.addressInside}", which the regular expression does not have (it has: ${compiled.captures.join(", ") || "none"})`,
            "Name a capture of `match`, written (?<name>...).",
          ),
        );
      }
      const template = rule.change.lines.split("\n").map((text, line) => ({
        text,
        position: { ...at("change", "lines"), line: at("change", "lines").line + line + 1 },
      }));
      for (const finding of checkConfigTree(configTreeOf(template).nodes, context.policy)) {
        errors.push(
          fabricError(
            finding.code,
            finding.node.position,
            `event rule "${rule.name}": ${finding.message}`,
            finding.hint,
          ),
        );
      }
    });

    const declared = (file: string, declarations: Record<string, EventDeclaration>) => {
      for (const [name, declaration] of Object.entries(declarations)) {
        if (!names.has(name))
          errors.push(
            fabricError(
              "event-declaration",
              declaration.position,
              `${file} declares events.${name}, but fabric.yaml has no event rule "${name}"`,
              `Add the rule to fabric.yaml events.rules, or remove events.${name} (rules: ${[...names].join(", ") || "none"}).`,
            ),
          );
        declaration.sourcePrefixes.forEach((prefix, index) => {
          const problem = prefixProblem(prefix);
          if (problem)
            errors.push(
              fabricError(
                "event-declaration",
                fieldPosition(context, file, ["events", name, "sourcePrefixes", index]),
                `${file} events.${name}: ${prefix} is not a prefix: ${problem}`,
                "Write an IPv4 or IPv6 prefix in CIDR form, e.g. 192.0.2.0/24 or 2001:db8::/32.",
              ),
            );
        });
      }
    };
    for (const group of Object.values(context.fabric.groups)) declared(group.position.file, group.events);
    const owners = new Map<string, string>();
    for (const device of Object.values(context.fabric.devices)) {
      declared(device.position.file, device.events);
      const address = device.managementAddress;
      if (address === undefined) continue;
      const at = fieldPosition(context, device.position.file, ["managementAddress"]);
      if (isIP(address) === 0)
        errors.push(
          fabricError(
            "management-address",
            at,
            `${address} is not an IPv4 or IPv6 address`,
            "Write the switch's management address without a prefix length, e.g. 192.168.0.11.",
          ),
        );
      const owner = owners.get(address);
      if (owner)
        errors.push(
          fabricError(
            "management-address",
            at,
            `${device.name} and ${owner} both have management address ${address}`,
            "Give each switch its own address: syslog from an address is attributed to its one switch.",
          ),
        );
      owners.set(address, device.name);
    }
    return { errors };
  },
};

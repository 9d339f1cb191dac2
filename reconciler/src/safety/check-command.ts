import { textMemo } from "../memo/text-memo.ts";
import { builtinDenyRules, type DenyRule, ruleMatches } from "./deny-rules.ts";
import { type Reading, readingsOf, tokenise } from "./expand.ts";

/** A fabric's own deny rule (fabric.yaml `policy.deny`): a regular expression on the line. */
export interface CustomDenyRule {
  pattern: string;
  reason: string;
}

/** What a fabric may add to the built-in policy (the fabric.yaml `policy` block). */
export interface SafetySettings {
  deny?: CustomDenyRule[];
  /** Command-running sections the fabric allows, by name (see command-sections.ts), with why. */
  allowCommandSections?: { section: string; reason: string }[];
}

export interface SafetyPolicy {
  custom: { rule: CustomDenyRule; pattern: RegExp }[];
  /** Allowed command-running section name → the reason the fabric gave. */
  allowedSections: ReadonlyMap<string, string>;
}

export function compileSafetyPolicy(settings: SafetySettings = {}): SafetyPolicy {
  return {
    custom: (settings.deny ?? []).map((rule) => ({ rule, pattern: new RegExp(rule.pattern) })),
    allowedSections: new Map((settings.allowCommandSections ?? []).map((a) => [a.section, a.reason])),
  };
}

/** The built-in policy alone (no fabric additions). */
export const builtinPolicy: SafetyPolicy = compileSafetyPolicy();

/** Why one command line must never be sent. */
export interface CommandFinding {
  /** The command as people say it ("write erase", or the fabric's pattern). */
  command: string;
  reason: string;
  /** How EOS reads the line, when that differs from how it is written ("do wr er" → "do write erase"). */
  reading?: string;
  source: "builtin" | "fabric" | "exec-via-do" | "ambiguous";
  rule?: DenyRule;
}

/**
 * Checks one command line the way EOS parses it: tokenised, case-folded, abbreviations expanded
 * against the keyword table (every candidate of an ambiguous one), `do`/`no`/`default` stripped.
 * Returns why it is denied, or undefined when it may be sent. Pure; safe to call from any module.
 */
export function checkCommand(line: string, policy: SafetyPolicy = builtinPolicy): CommandFinding | undefined {
  let check = checksByPolicy.get(policy);
  if (!check) {
    check = textMemo((text) => findDenial(text, policy));
    checksByPolicy.set(policy, check);
  }
  return check(line);
}

/** One memo per compiled policy: the same line may be allowed by one fabric and denied by another. */
const checksByPolicy = new WeakMap<SafetyPolicy, (line: string) => CommandFinding | undefined>();

function findDenial(line: string, policy: SafetyPolicy): CommandFinding | undefined {
  const text = line.trim();
  if (text === "") return undefined;
  const readings = readingsOf(text);
  if (!readings) {
    return {
      command: text,
      reason: "it abbreviates so much that it could be too many commands to check",
      source: "ambiguous",
    };
  }
  for (const rule of builtinDenyRules) {
    const reading = readings.find((r) => ruleMatches(rule.words, r.words));
    if (reading)
      return {
        command: rule.command,
        reason: rule.reason,
        source: "builtin",
        rule,
        ...readingOf(text, reading),
      };
  }
  for (const { rule, pattern } of policy.custom) {
    if (pattern.test(text)) return { command: rule.pattern, reason: rule.reason, source: "fabric" };
    const reading = readings.find((r) => pattern.test(r.full.join(" ")) || pattern.test(r.words.join(" ")));
    if (reading)
      return { command: rule.pattern, reason: rule.reason, source: "fabric", ...readingOf(text, reading) };
  }
  const viaDo = readings.find((r) => r.viaDo);
  if (viaDo) {
    return {
      command: "do …",
      reason: "it runs an EXEC command from config mode, on every apply; desired config describes state",
      source: "exec-via-do",
      ...readingOf(text, viaDo),
    };
  }
  return undefined;
}

function readingOf(text: string, reading: Reading): { reading?: string } {
  const written = tokenise(text).join(" ");
  const read = reading.full.join(" ");
  return read === written ? {} : { reading: read };
}

/** `denied command "wr er" (EOS reads "write erase"): it erases the startup config`. */
export function describeFinding(line: string, finding: CommandFinding): string {
  const reading = finding.reading ? ` (EOS reads "${finding.reading}")` : "";
  return `denied command "${line.trim()}"${reading}: ${finding.reason}`;
}

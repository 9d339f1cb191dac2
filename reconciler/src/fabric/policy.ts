/**
 * Policy as data: config lines that carry secrets, and YAML keys that must hold references instead of
 * values. The command deny list lives in safety/ (matched the way EOS parses commands).
 */
import { compileSafetyPolicy, type SafetyPolicy } from "../safety/index.ts";
import type { PolicySettings } from "./types.ts";

export interface SecretPattern {
  /** What the line sets, for messages; never the value itself. */
  what: string;
  pattern: RegExp;
}

/** Config lines that carry a secret value (encrypted type 7 is reversible, so it is a secret too). */
export const secretLinePatterns: SecretPattern[] = [
  { what: "a password", pattern: /(^|\s)password\s+\S+/ },
  { what: "a secret", pattern: /(^|\s)secret\s+\S+/ },
  { what: "a key", pattern: /(^|\s)key\s+[07]\s+\S+/ },
  { what: "an authentication key", pattern: /(^|\s)(md5|sha1?)\s+[07]\s+\S+/ },
  { what: "an SNMP community", pattern: /^snmp-server\s+community\s+\S+/ },
  { what: "an SNMPv3 auth or priv key", pattern: /(^|\s)(auth|priv)\s+(md5|sha\S*|des|aes\S*)\s+\S+/ },
];

/** Lines whose words are free text, not commands: "description password reset portal" is no secret. */
export const freeTextLine = /^(description|name|comment)\b/;

/** A YAML key whose value must be a reference (env:NAME or file:/path), wherever it appears. */
export const secretKeyPattern =
  /(^|[_-])(password|passwd|secret|token|community|api[_-]?key|private[_-]?key|psk)$/i;

/** A secret reference as the repo writes it. */
export const secretRefPattern = /^(env:[A-Za-z_][A-Za-z0-9_]*|file:\S.*)$/;

/** Characters that must not occur inside one CLI line: line breaks would smuggle a second command in. */
export const controlCharacter = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

/** The safety policy the rules check against: the built-in one plus the fabric's `policy` block. */
export type CompiledPolicy = SafetyPolicy;

/** The built-in safety policy plus the fabric's own `policy` (patterns already checked by the schema). */
export function compilePolicy(settings: PolicySettings | undefined): CompiledPolicy {
  return compileSafetyPolicy(settings);
}

export function findInlineSecret(line: string): SecretPattern | undefined {
  const text = line.trim();
  if (freeTextLine.test(text)) return undefined;
  return secretLinePatterns.find((secret) => secret.pattern.test(text));
}

export function describeControlCharacter(char: string): string {
  const names: Record<string, string> = {
    "\n": "a newline (\\n)",
    "\r": "a carriage return (\\r)",
    "\t": "a tab",
  };
  const code = char.codePointAt(0) ?? 0;
  return names[char] ?? `control character U+${code.toString(16).padStart(4, "0").toUpperCase()}`;
}

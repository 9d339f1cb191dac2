/**
 * The safety policy as data (DESIGN §6): commands that must never be in desired config, config lines that
 * carry secrets, and YAML keys that must hold references instead of values. Rules read these tables.
 */
import type { PolicySettings } from "./types.ts";

export interface DenyRule {
  /** The command as people say it, for messages ("write erase"). */
  command: string;
  /** Matched against a config line without its indentation. */
  pattern: RegExp;
  reason: string;
}

/** Always denied: each either destroys the switch's state or escapes the config model. */
export const builtinDenyRules: DenyRule[] = [
  { command: "reload", pattern: /^reload\b/, reason: "it reboots the switch" },
  { command: "bash", pattern: /^bash\b/, reason: "it runs a shell command outside the config model" },
  { command: "run", pattern: /^run\b/, reason: "it runs arbitrary commands outside the config model" },
  { command: "write erase", pattern: /^write\s+erase\b/, reason: "it erases the startup config" },
  { command: "erase", pattern: /^erase\b/, reason: "it erases a file system or the startup config" },
  { command: "zerotouch", pattern: /^zerotouch\b/, reason: "it re-provisions the switch from scratch" },
  { command: "delete", pattern: /^delete\b/, reason: "it deletes files on the switch" },
  { command: "configure replace", pattern: /^configure\s+replace\b/, reason: "it replaces the whole config" },
  {
    command: "copy … startup-config",
    pattern: /^copy\b.*\bstartup-config\b/,
    reason: "only the reconciler's own save step may write the startup config",
  },
];

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

export interface CompiledPolicy {
  deny: DenyRule[];
}

/** The built-in rules plus the fabric's own `policy.deny` (patterns already checked by the schema). */
export function compilePolicy(settings: PolicySettings | undefined): CompiledPolicy {
  const extra = (settings?.deny ?? []).map((rule) => ({
    command: rule.pattern,
    pattern: new RegExp(rule.pattern),
    reason: rule.reason,
  }));
  return { deny: [...builtinDenyRules, ...extra] };
}

export function findDeniedCommand(line: string, policy: CompiledPolicy): DenyRule | undefined {
  const text = line.trim();
  return policy.deny.find((rule) => rule.pattern.test(text));
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

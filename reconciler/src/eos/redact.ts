/** Secrets out of every text meant for people or GitHub; the script sent to a switch is never redacted. */
import { SECRET_PATTERNS, SECRET_WORDS } from "./rules.ts";

export const REDACTED = "<redacted>";

export function redactSecrets(text: string): string {
  if (!SECRET_WORDS.test(text)) return text;
  let out = text;
  for (const pattern of SECRET_PATTERNS) out = out.replace(pattern.match, pattern.replace);
  return out;
}

/** A config line quoted for a message: redacted first, so the closing quote is never taken for a secret. */
export function quoteLine(text: string): string {
  return `"${redactSecrets(text)}"`;
}

import { redactSecrets } from "../eos/redact.ts";

/** How many characters of a value an error message may quote. */
export const EXCERPT_CHARS = 60;

/**
 * A value quoted for an error message: as JSON (so control characters are visible), EOS secret
 * patterns masked, and cut to `max` characters with the full length said. An error about a value never
 * carries the whole value: it may be a secret, or the content of a file the message should not spill.
 */
export function excerpt(value: unknown, max = EXCERPT_CHARS): string {
  const json = typeof value === "string" ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  const text = redactSecrets(json);
  if (text.length <= max) return text;
  const kept = text.slice(0, max);
  return `${kept}… (${typeof value === "string" ? `${value.length} characters` : `${text.length} characters as JSON`})`;
}

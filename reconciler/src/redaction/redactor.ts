import { REDACTED, redactSecrets } from "../eos/redact.ts";

/**
 * The one redaction step every report passes (comments, commit statuses, the status page, logs, job
 * summaries): EOS secret patterns (eos/redact.ts), PEM private keys, and the exact values of every
 * secret this process holds (GitHub token or App key, webhook secrets, XMPP password, secrets read
 * through `env:`/`file:` references). The composition root creates one, adds each secret as it reads
 * it, and hands `redact` to the logger and the reporters.
 */
export interface Redactor {
  /** Registers a secret value; its raw, JSON-escaped and per-line forms are removed from then on. */
  add(value: string | undefined): void;
  redact(text: string): string;
}

/** Shorter values are not registered: masking "abc" everywhere would garble reports, not protect. */
const MIN_SECRET_CHARS = 6;
const PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;

export function createRedactor(initial: (string | undefined)[] = []): Redactor {
  const values = new Set<string>();
  // Longest first, so a secret that contains another is removed whole.
  let ordered: string[] = [];
  const remember = (form: string) => {
    if (form.length >= MIN_SECRET_CHARS) values.add(form);
  };
  const redactor: Redactor = {
    add(value) {
      if (!value) return;
      const trimmed = value.trim();
      for (const form of [value, trimmed]) {
        remember(form);
        // As it appears inside JSON (a log line, a comment body sent as JSON).
        remember(JSON.stringify(form).slice(1, -1));
      }
      // A multi-line secret (a PEM key) may be quoted one line at a time.
      for (const line of trimmed.split(/\r?\n/)) if (!line.startsWith("-----")) remember(line.trim());
      ordered = [...values].sort((a, b) => b.length - a.length);
    },
    redact(text) {
      let out = redactSecrets(text).replace(PRIVATE_KEY, `-----BEGIN $1PRIVATE KEY----- ${REDACTED}`);
      for (const value of ordered) if (out.includes(value)) out = out.split(value).join(REDACTED);
      return out;
    },
  };
  for (const value of initial) redactor.add(value);
  return redactor;
}

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
  /** EOS secret patterns, private keys, GitHub tokens and every registered value: for config text shown. */
  redact(text: string): string;
  /**
   * Private keys, GitHub tokens and every registered value, but not the EOS patterns: for whole outputs
   * (stdout, logs, comment bodies, pages) whose config parts were redacted already, and where prose such
   * as "webhook.secret looks like a secret" or `diff --show-secrets` must stay as written.
   */
  redactValues(text: string): string;
}

/** Shorter values are not registered: masking "abc" everywhere would garble reports, not protect. */
const MIN_SECRET_CHARS = 6;
const PRIVATE_KEY = /-----BEGIN ([A-Z0-9 ]*)PRIVATE KEY-----[\s\S]*?(?:-----END \1PRIVATE KEY-----|$)/g;
/**
 * GitHub's token formats (classic/fine-grained PATs, App installation and user tokens): an App's
 * installation token is made at run time inside octokit, so its value is never registered.
 */
const GITHUB_TOKEN = /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b/g;

/** How a value looks inside HTML (the status page escapes text). */
function htmlEscaped(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

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
        // As the status page (HTML), a markdown comment (&<> only, table cells) and a URL show it.
        remember(htmlEscaped(form));
        remember(form.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;"));
        remember(form.replace(/\|/g, "\\|"));
        remember(encodeURIComponent(form));
      }
      // A multi-line secret (a PEM key) may be quoted one line at a time.
      for (const line of trimmed.split(/\r?\n/)) if (!line.startsWith("-----")) remember(line.trim());
      ordered = [...values].sort((a, b) => b.length - a.length);
    },
    redact: (text) => redactor.redactValues(redactSecrets(text)),
    redactValues(text) {
      let out = text
        .replace(PRIVATE_KEY, `-----BEGIN $1PRIVATE KEY----- ${REDACTED}`)
        .replace(GITHUB_TOKEN, REDACTED);
      for (const value of ordered) if (out.includes(value)) out = out.split(value).join(REDACTED);
      return out;
    },
  };
  for (const value of initial) redactor.add(value);
  return redactor;
}

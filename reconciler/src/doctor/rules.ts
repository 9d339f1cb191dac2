/** What the doctor knows about XMPP servers, certificates and GitHub tokens, as data. */

/** SASL mechanisms that must not be offered, and why (before TLS every password mechanism is in this list). */
export const UNSAFE_MECHANISMS: { name: string; why: string }[] = [
  // RFC 4616: PLAIN sends the password itself; only inside TLS is that safe
  { name: "PLAIN", why: "sends the password as is (safe only inside TLS)" },
  // draft-murchison-sasl-login: the same password in base64, never standardised
  { name: "LOGIN", why: "sends the password as is (non-standard PLAIN)" },
  // RFC 6331 moved DIGEST-MD5 to Historic; the server must store a password equivalent
  { name: "DIGEST-MD5", why: "obsolete (RFC 6331); the server keeps a password equivalent" },
  // RFC 2195: the server keeps the password in the clear to verify the HMAC
  { name: "CRAM-MD5", why: "the server keeps the password in the clear" },
  // RFC 4505: no password at all; anyone gets a session on the switches' server
  { name: "ANONYMOUS", why: "lets anyone log in without an account" },
];

/** Mechanisms that are fine inside TLS; the rest of UNSAFE_MECHANISMS stays unsafe there too. */
export const SAFE_INSIDE_TLS = new Set(["PLAIN"]);

/**
 * Sample and "snake-oil" certificates: made at package install or shipped as examples, with the same
 * names everywhere; a server presenting one was never given its own. Matched on the subject or issuer.
 */
export const SAMPLE_CERTIFICATES: { name: string; match: RegExp }[] = [
  // Debian's ssl-cert package: /etc/ssl/certs/ssl-cert-snakeoil.pem (CN = the host name, no O)
  { name: "Debian ssl-cert snakeoil", match: /snakeoil/i },
  // openssl req's default organisation when nobody filled the fields in
  { name: "openssl default subject", match: /O=Internet Widgits Pty Ltd/ },
  // Prosody's Debian package: /etc/prosody/certs/localhost.crt, O = Prosody Example
  { name: "Prosody example certificate", match: /O=Prosody Example|CN=Example certificate/i },
  // ejabberd's package and docs: a self-signed CN=ejabberd / O=ProcessOne example
  { name: "ejabberd sample certificate", match: /O=ProcessOne|CN=ejabberd\b/ },
  // a certificate for localhost on a server that has another name
  { name: "a localhost certificate", match: /(^|\n|,\s*)CN=localhost($|\n|,)/ },
];

/** Files on this machine that hold package-made certificates: a server presenting one of them is caught too. */
export const SAMPLE_CERTIFICATE_FILES = [
  "/etc/ssl/certs/ssl-cert-snakeoil.pem",
  "/etc/prosody/certs/localhost.crt",
  "/etc/ejabberd/ejabberd.pem",
];

/** A certificate that expires within this many days fails (renew it before the switches lose the server). */
export const CERT_MIN_DAYS = 30;

/** Webhook HMAC secret: shorter than this is guessable offline from one signed delivery. */
export const WEBHOOK_SECRET_MIN_LENGTH = 32;

/**
 * OAuth scopes of a classic token (the `x-oauth-scopes` header, GitHub REST docs) the reconciler needs:
 * comment on PRs and issues, set commit statuses, read the repo. Any other scope is more than it needs.
 */
export const NEEDED_SCOPES = new Set(["repo", "public_repo", "repo:status"]);

/**
 * Connection settings of the transport, and how they are resolved (pure): command-line flag > environment
 * (RECONCILER_XMPP_HOST, _PORT, _DOMAIN, _MUC, _CA, _JID, _PASSWORD) > the fabric's `xmpp` settings.
 * The environment is passed in, never read here; so is the reader of secret references.
 * RECONCILER_XMPP_PASSWORD holds the password itself (the environment is already a secret store); the
 * fabric file only ever holds a reference (`env:NAME`, `file:/path`), read through `readSecret`.
 */
import { isAbsolute, resolve } from "node:path";
import type { CliMode, SecretRef, TlsMode, XmppSettings } from "../fabric/types.ts";
import type { BackoffOptions } from "./backoff.ts";

export interface TransportSettings {
  host: string;
  port: number;
  domain: string;
  mucService: string;
  /** The reconciler's bare JID. */
  jid: string;
  resource: string;
  /** PLAIN inside TLS; absent when a client certificate is used. */
  password?: string;
  /** Mutual TLS + SASL EXTERNAL: PEM file paths of a certificate signed by the fabric's CA. */
  clientCert?: { cert: string; key: string };
  /** CA file the server certificate must chain to; absent = the system CAs. */
  caFile?: string;
  tls: TlsMode;
  cliMode: CliMode;
  /** Default reply timeout for a request. */
  replyTimeoutMs: number;
  /** Requests (1:1 or group) in flight at once, over all switches. */
  maxInFlight: number;
  /** Largest message body sent (see script.ts for the stanza limits this respects). */
  maxBodyBytes: number;
  /** Largest reply taken from one switch for one request (xmpp.maxReplySize; default 8 MiB). */
  maxReplyBytes?: number;
  /**
   * After login, how long a request to a switch whose presence has not arrived yet waits for it (default
   * 3 s); after that it goes to the bare JID and the first of the account's sessions to answer binds it.
   */
  presenceWaitMs?: number;
  /** Command appended to every script that always prints (reply.ts); null to send scripts as given. */
  terminator?: string | null;
  backoff?: BackoffOptions;
  /** Server ping while online; an unanswered ping drops and re-makes the connection (default 30 s). */
  pingIntervalMs?: number;
}

export interface TransportFlags {
  host?: string;
  port?: string | number;
  domain?: string;
  mucService?: string;
  caFile?: string;
  jid?: string;
  password?: string;
}

export interface SettingsError {
  code: "invalid-port" | "invalid-jid" | "missing-password" | "unreadable-secret";
  message: string;
  hint: string;
}

export type SettingsResult =
  | { ok: true; settings: TransportSettings }
  | { ok: false; errors: SettingsError[] };

export interface ResolveOptions {
  /** Reads a secret reference of the fabric (`env:…`, `file:…`); throws when it cannot. */
  readSecret: (ref: SecretRef) => string;
  /** The fabric repo: a relative CA or certificate path in the fabric is relative to it. */
  repoDir?: string;
  replyTimeoutMs?: number;
  /** The XMPP resource to log in with: one per process (resource.ts); the composition root picks it. */
  resource?: string;
}

const ENV = {
  host: "RECONCILER_XMPP_HOST",
  port: "RECONCILER_XMPP_PORT",
  domain: "RECONCILER_XMPP_DOMAIN",
  mucService: "RECONCILER_XMPP_MUC",
  caFile: "RECONCILER_XMPP_CA",
  jid: "RECONCILER_XMPP_JID",
  password: "RECONCILER_XMPP_PASSWORD",
} as const;

const nonEmpty = (v: string | number | undefined) => (v === undefined || v === "" ? undefined : v);

export function resolveTransportSettings(
  xmpp: XmppSettings,
  env: Readonly<Record<string, string | undefined>>,
  flags: TransportFlags,
  options: ResolveOptions,
): SettingsResult {
  const errors: SettingsError[] = [];
  const pick = <K extends keyof typeof ENV>(key: K) => nonEmpty(flags[key]) ?? nonEmpty(env[ENV[key]]);
  const fromRepo = (p: string) => (isAbsolute(p) || !options.repoDir ? p : resolve(options.repoDir, p));

  const portText = pick("port");
  const port = portText === undefined ? xmpp.port : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    errors.push({
      code: "invalid-port",
      message: `XMPP port ${JSON.stringify(portText)} is not a port number`,
      hint: `set --xmpp-port or ${ENV.port} to a number from 1 to 65535`,
    });
  }
  const jid = String(pick("jid") ?? xmpp.reconcilerJid);
  if (!/^[^@/\s]+@[^@/\s]+$/.test(jid)) {
    errors.push({
      code: "invalid-jid",
      message: `the reconciler JID ${JSON.stringify(jid)} is not a bare JID (user@domain)`,
      hint: `set --xmpp-jid or ${ENV.jid}, or xmpp.reconcilerJid in fabric.yaml`,
    });
  }
  const caFlagOrEnv = pick("caFile");
  const caFile = caFlagOrEnv !== undefined ? String(caFlagOrEnv) : xmpp.caFile && fromRepo(xmpp.caFile);
  const clientCert = xmpp.clientCert && {
    cert: fromRepo(xmpp.clientCert.cert),
    key: fromRepo(xmpp.clientCert.key),
  };

  let password = pick("password") as string | undefined;
  if (password === undefined && xmpp.reconcilerPassword && !clientCert) {
    try {
      password = options.readSecret(xmpp.reconcilerPassword);
    } catch (error) {
      errors.push({
        code: "unreadable-secret",
        message: `cannot read the reconciler's XMPP password (${describeRef(xmpp.reconcilerPassword)}): ${(error as Error).message}`,
        hint: `provide it there, or set ${ENV.password}`,
      });
    }
  }
  if (password === undefined && !clientCert && !errors.some((e) => e.code === "unreadable-secret")) {
    errors.push({
      code: "missing-password",
      message: "no XMPP password and no client certificate for the reconciler",
      hint: `set ${ENV.password}, or xmpp.reconcilerPassword (env:NAME or file:/path) or xmpp.clientCert in fabric.yaml`,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    settings: {
      host: String(pick("host") ?? xmpp.host),
      port,
      domain: String(pick("domain") ?? xmpp.domain),
      mucService: String(pick("mucService") ?? xmpp.mucService),
      jid,
      resource: options.resource ?? "reconciler",
      password,
      clientCert,
      caFile,
      tls: xmpp.tls,
      // `auto`: multiline until the runner has detected a switch's framing (reconcile/, framing/)
      cliMode: xmpp.cliMode === "auto" ? "multiline" : xmpp.cliMode,
      replyTimeoutMs: options.replyTimeoutMs ?? 30_000,
      maxInFlight: 256,
      maxBodyBytes: 60_000,
      ...(xmpp.maxReplyBytes !== undefined ? { maxReplyBytes: xmpp.maxReplyBytes } : {}),
    },
  };
}

function describeRef(ref: SecretRef): string {
  return ref.kind === "env" ? `env:${ref.name}` : `file:${ref.path}`;
}

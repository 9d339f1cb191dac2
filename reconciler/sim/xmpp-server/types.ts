/**
 * What the tests, the demo and the benchmarks need from a throw-away XMPP server, whichever one runs it.
 * Prosody (reconciler/sim/prosody) and ejabberd (reconciler/sim/ejabberd) both implement it.
 */

export const XMPP_SERVER_KINDS = ["prosody", "ejabberd"] as const;
export type XmppServerKind = (typeof XMPP_SERVER_KINDS)[number];

export function isXmppServerKind(name: string): name is XmppServerKind {
  return (XMPP_SERVER_KINDS as readonly string[]).includes(name);
}

export interface XmppServerOptions {
  /** XMPP domain (virtual host); default "fabric.test". */
  domain?: string;
  /** MUC service; default "groups.<domain>". */
  mucService?: string;
  /** SASL EXTERNAL with client certificates instead of passwords, for every account. */
  clientCerts?: boolean;
  /** Largest stanza a client may send, in bytes; default 262144. */
  stanzaLimit?: number;
  /** For rooms of hundreds: broadcast only moderators' presence (joins O(N) instead of O(N²)). */
  mucPresenceBroadcastModeratorOnly?: boolean;
  /** Directory to use (created if missing; removed by stop()); default a fresh temp dir. */
  dir?: string;
  /** Port to listen on; default a free one. */
  port?: number;
  /** Also listen for direct TLS (`xmpps://`, XEP-0368) on a second free port. */
  directTls?: boolean;
  /** A server without TLS, only to test `tls: insecure-permit` (and that nothing else logs in there). */
  withoutTls?: boolean;
  /** Deliberate misconfigurations, for testing `reconciler doctor` (never for the demo or the tests of the product). */
  misconfigure?: {
    /** Offer SASL PLAIN before STARTTLS (TLS offered, not required). */
    plaintextAuth?: boolean;
    /** In-band registration (XEP-0077) open to anyone. */
    openRegistration?: boolean;
    /** Rooms replay their last 20 messages to whoever joins (the server's default history). */
    roomHistory?: boolean;
  };
}

export interface XmppServer {
  kind: XmppServerKind;
  host: "127.0.0.1";
  port: number;
  /** The direct-TLS port, when started with `directTls`. */
  directTlsPort?: number;
  domain: string;
  mucService: string;
  dir: string;
  /** The throw-away CA that signed the server certificate (and client certificates). */
  caFile: string;
  /** The server's own certificate (PEM), for checks of what it presents. */
  certFile: string;
  register(user: string, password: string): Promise<void>;
  registerMany(accounts: { user: string; password: string }[]): Promise<void>;
  /**
   * `owner` (a user name) and each of `contacts` (user names) in each other's roster with subscription
   * both, as after their first contact (for benchmarks of large fabrics, which provision rosters).
   * Before any of them logs in.
   */
  presetRosters(owner: string, contacts: string[]): Promise<void>;
  /** A client certificate (id-on-xmppAddr user@domain, EKU clientAuth) signed by the CA: file paths. */
  issueClientCert(user: string): Promise<{ cert: string; key: string }>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
  /** Stops and starts again on the same port and dir, keeping accounts and certificates. */
  restart(): Promise<void>;
  /** Stops the server but keeps its directory (for tests of an outage); start() brings it back. */
  kill(): Promise<void>;
  start(): Promise<void>;
  isRunning(): boolean;
  /** SIGSTOP / SIGCONT: the server stops answering but keeps its sockets open (a link that went dark). */
  freeze(): void;
  thaw(): void;
}

export class PortInUseError extends Error {
  constructor(readonly port: number) {
    super(`port ${port} on 127.0.0.1 is already in use`);
    this.name = "PortInUseError";
  }
}

export class XmppServerNotInstalledError extends Error {
  constructor(readonly kind: XmppServerKind) {
    super(`${kind} is not installed (or not on PATH): apt-get install -y ${kind}`);
    this.name = "XmppServerNotInstalledError";
  }
}

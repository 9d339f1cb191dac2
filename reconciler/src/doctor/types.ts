/**
 * `reconciler doctor`: what it saw (observations, gathered by the observe-*.ts files at the edges) and
 * what it concludes (results, from the pure check table in checks.ts).
 */

export type CheckStatus = "pass" | "warn" | "fail" | "skip";

export interface CheckResult {
  /** Stable name of the check (checks.ts), e.g. "no-auth-before-tls". */
  check: string;
  title: string;
  status: CheckStatus;
  /** The room, switch or file the result is about, when the check runs per subject. */
  subject?: string;
  detail: string;
  /** How to fix it (absent on pass). */
  fix?: string;
}

export interface DoctorReport {
  kind: "doctor";
  fabric: string;
  server: { host: string; port: number; domain: string };
  /** Whose `xmpp` block the server, login, room and switch checks used (absent: the caller did not say). */
  settingsFrom?: SettingsSource;
  results: CheckResult[];
  summary: Record<CheckStatus, number>;
  /** No check failed: the exit code is 0. */
  ok: boolean;
}

/**
 * The trust boundary as the doctor met it: the connection settings are the tracked branch head's, or
 * the directory's own when it is no git repo; what the checkout changes there is not checked (it takes
 * effect on merge), while its groups and switches are.
 */
export type SettingsSource =
  | { kind: "tracked-branch"; branch: string; sha: string; checkoutChanges: string[] }
  | { kind: "directory" };

/** The server from outside: the stream before and after TLS, with no account of ours. */
export interface ServerObservation {
  /** Why the server could not be examined at all (connection refused …). */
  error?: string;
  beforeTls?: {
    starttlsOffered: boolean;
    starttlsRequired: boolean;
    mechanisms: string[];
    /** A PLAIN attempt with a made-up account before TLS: how the server answered. */
    plainAttempt:
      | "not-offered"
      | "refused-encryption-required"
      | `refused-${string}`
      | "accepted"
      | "no-answer";
  };
  certificate?: CertificateObservation;
  afterTls?: {
    mechanisms: string[];
    registerOffered: boolean;
    /** A XEP-0077 registration of a throw-away account: refused (with the condition) or done. */
    registration: `refused-${string}` | "created" | "no-answer";
    /** The throw-away account, when it was created, and whether the doctor could remove it again. */
    createdAccount?: { user: string; removed: boolean };
  };
}

export interface CertificateObservation {
  subject: string;
  issuer: string;
  validTo: string;
  /** Days from now until validTo (negative: expired). */
  daysLeft: number;
  fingerprint256: string;
  /** It verifies against the fabric's pinned CA (Node's chain check with that CA only). */
  chainsToPinnedCa: boolean;
  chainError?: string;
  /** No CA is pinned (xmpp.caFile unset): the system store decides, which the doctor cannot vouch for. */
  pinnedCa: boolean;
  namesDomain: boolean;
  selfSigned: boolean;
  /** The name of a sample/snake-oil certificate it matches (sample-certs.ts), if any. */
  sample?: string;
}

export interface RoomObservation {
  group: string;
  room: string;
  /** disco#info failed: the room does not exist or cannot be looked at. */
  error?: string;
  membersOnly?: boolean;
  nonAnonymous?: boolean;
  /** From the owner's config form; undefined when the form cannot be read or has no such field. */
  historyLength?: number;
  historyNote?: string;
  /** Members (bare JIDs) by the room's member list; an error when the reconciler may not read it. */
  members?: string[] | { error: string };
  /** The group's switches in git (bare JIDs). */
  expected: string[];
}

export interface SwitchObservation {
  device: string;
  jid: string;
  /** The `management xmpp` block as the switch showed it, or why it did not. */
  block?: { privilege: number; unencryptedPermit: boolean; server?: string; domain?: string };
  error?: { code: string; message: string };
  /** A second account (not authorized) sent it a show command: refused, or it answered. */
  stranger?: "refused" | "answered" | "not-tested";
}

export interface LocalObservation {
  webhookSecret?: { source: string; length: number };
  stateDir: { path: string; mode?: number; missing?: boolean };
  secretFiles: { path: string; what: string; mode?: number; error?: string }[];
  github: { kind: "none" } | { kind: "app" } | { kind: "token"; scopes?: string[]; error?: string };
}

export interface Observations {
  server: ServerObservation;
  /** Undefined when the reconciler could not log in (the login failure is in loginError). */
  rooms?: RoomObservation[];
  switches?: SwitchObservation[];
  loginError?: string;
  local: LocalObservation;
  expected: { domain: string; switchServer: string; privilege: number };
  /** Whether the operator gave a second, unauthorized test account (--probe-jid). */
  strangerTested: boolean;
}

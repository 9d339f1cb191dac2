/**
 * The fabric model: what the desired-state repo says, after validation and normalisation.
 * Every module that needs to know about switches, groups or XMPP settings reads these types.
 */

import type { PathMigration } from "../safety/management-path/index.ts";
import type { DeviceRender } from "./render.ts";

/** A place in a file of the desired-state repo (1-based line and column). */
export interface SourcePosition {
  file: string; // path relative to the repo root, e.g. "devices/leaf1.yaml"
  line: number;
  col: number;
}

/** An input error the user can fix: where, what, how. `code` is stable (tests and tooling match on it). */
export interface FabricError {
  code: string; // e.g. "yaml-syntax", "duplicate-key", "schema", "unknown-group", "inline-secret"
  message: string; // what is wrong
  hint: string; // how to fix it
  position: SourcePosition;
  schemaPath?: string; // for schema violations
}

/** `env:NAME` or `file:/abs/path`: a secret is never a value in git. */
export type SecretRef = { kind: "env"; name: string } | { kind: "file"; path: string };

export type TlsMode = "starttls" | "direct-tls" | "insecure-permit";
/** How a switch takes CLI over XMPP (the framing): a message is a script, or one line with the mode kept per sender. */
export type CliMode = "multiline" | "per-sender";
/** The fabric's setting: a framing for every switch, or `auto` (detected per switch at first contact). */
export type CliModeSetting = CliMode | "auto";

export interface XmppSettings {
  /** Address the reconciler connects to. */
  host: string;
  port: number;
  /** Address the switches' `management xmpp` `server` line names (defaults to host). */
  switchServer: string;
  domain: string;
  /** MUC service for group rooms, e.g. "groups.securitydemo.lab". */
  mucService: string;
  /** The reconciler's own bare JID. */
  reconcilerJid: string;
  reconcilerPassword?: SecretRef;
  /** Client certificate + key (SASL EXTERNAL) instead of a password. */
  clientCert?: { cert: string; key: string };
  /** CA file that the server certificate must chain to; relative paths are relative to the repo. */
  caFile?: string;
  tls: TlsMode;
  cliMode: CliModeSetting;
  /** Largest reply taken from one switch for one request (xmpp.maxReplySize), in bytes. */
  maxReplyBytes: number;
  /** JIDs besides the reconciler that switches accept commands from (operators). */
  operatorJids: string[];
  /** Privilege level the switches run received commands at (`session privilege`). */
  sessionPrivilege: number;
}

export interface RolloutSettings {
  /** Groups in rollout order; the first is the canary unless `canarySwitches` is set. */
  order: string[];
  /** When > 0: the canary is the first N switches instead of the first group. */
  canarySwitches: number;
  /** After the canary: one wave per ordered group, or all the rest in one wave. */
  waves: "per-group" | "canary-then-rest";
  maxParallel: number;
  /** EOS `commit timer` value, "hh:mm:ss". */
  commitTimer: string;
  /** What a switch sends back to verify its commit (rollout/verify-reply.ts). */
  verify: VerifyBy;
  replyTimeoutMs: number;
  verifyTimeoutMs: number;
  stopOnFailure: boolean;
  /** Change-freeze windows: apply and drift healing are refused while one is in force. */
  freeze: FreezeWindow[];
}

/**
 * `session-diff`: the switch's own diff of the commit, fitted onto the running config the plan was made
 * from (a few lines per switch); `running-config`: the whole running config read after the commit
 * (also sees changes made anywhere since the plan).
 */
export type VerifyBy = "session-diff" | "running-config";

/** A change freeze (`rollout.freeze`): a recurring cron start with a duration, or a date range. */
export interface FreezeWindow {
  name: string;
  /** Why changes are frozen; shown in every refusal. */
  reason: string;
  /** IANA time zone the cron expression and the dates are read in. */
  timeZone: string;
  schedule:
    | { kind: "cron"; cron: string; durationMs: number }
    | { kind: "range"; from: string; until: string };
  position: SourcePosition;
}

export interface DriftSettings {
  schedule: string; // cron expression
  selfHeal: boolean;
  /** The service opens a PR per drift episode that adopts the live config (drift-proposal/). */
  propose?: boolean;
}

export interface GithubSettings {
  repo: string; // "owner/name"
  branch: string;
  /** Where drift reports go when no PR touched the drifting switches. */
  driftIssueTitle: string;
  /** `/reconciler apply` may apply an open PR's head before merge (pr-workflow). */
  applyBeforeMerge: boolean;
  /** What a PR must meet before a comment applies it. */
  applyRequires: ("approved" | "mergeable" | "up-to-date")[];
  /** The least repository role that may apply or unlock from a comment. */
  applyPermission: "write" | "maintain" | "admin";
}

/** Lines and patterns that bound what the reconciler owns on a switch (DESIGN §3). */
export interface ManagedScope {
  /** Top-level sections owned, matched as a prefix of the top-level line ("interface", "router bgp"). */
  sections: string[];
  /** Regular expressions (source text); a line matching one is never reconciled nor reported. */
  ignore: string[];
  /**
   * Regular expressions (source text) of top-level lines that the switch keeps when git does not list
   * them: never removed nor defaulted, never drift ("interface" when only the interfaces git lists are
   * owned; the management interface always). When git lists one, it is reconciled as usual.
   */
  keepUnlisted?: string[];
}

/** Extra deny rules a fabric may add to the built-in safety policy (DESIGN §6). */
export interface PolicySettings {
  deny: { pattern: string; reason: string }[];
  /** Command-running sections (event-handler, alias, …) the fabric allows by name, with why (safety/). */
  allowCommandSections: { section: string; reason: string }[];
}

/** One line of EOS config text as written in YAML, with where it came from. */
export interface ConfigLine {
  text: string;
  position: SourcePosition;
}

/**
 * One `remove:` entry of a group or device file: a command an earlier layer gives. Without lines, it
 * takes that line or section away whole; with lines (`"interface Ethernet1": ["spanning-tree portfast"]`),
 * it takes only those lines out of the section, each of which may name lines of its own in turn.
 */
export interface RemoveEntry {
  /** The command as written (no indentation), where its text starts. */
  line: ConfigLine;
  lines: RemoveEntry[];
}

/**
 * A group's or device's interest in an event rule (`events.<rule>` in its YAML): the prefixes a captured
 * address must lie in, and the values the rule's change template names.
 */
export interface EventDeclaration {
  sourcePrefixes: string[];
  values: Record<string, string>;
  position: SourcePosition;
}

/** One `events.rules` entry of fabric.yaml (events/ turns matching syslog into a change of git). */
export interface EventRule {
  name: string;
  description: string;
  /** JavaScript regular expression source over the syslog MSG, with named captures. */
  match: string;
  /** The capture that must lie inside a declaration's sourcePrefixes. */
  addressInside?: string;
  change: { file: "device" | "group"; lines: string; log?: string };
  action: "pull-request" | "apply";
  maxChangesPerHour: number;
  position: SourcePosition;
}

export interface EventSettings {
  rules: EventRule[];
  /** All rules together. */
  maxChangesPerHour: number;
}

export interface Group {
  name: string;
  description: string;
  config: ConfigLine[];
  /** `remove:` entries: what to take out of what the baseline and earlier groups give (render.ts). */
  remove: RemoveEntry[];
  vars: Record<string, string>;
  /** Event rules this group declares interest in, by rule name. */
  events: Record<string, EventDeclaration>;
  /** Devices that list this group, in device-name order. */
  members: string[];
  position: SourcePosition;
}

export interface Device {
  name: string;
  hostname: string;
  /** What and where the switch is, from the device file. */
  description?: string;
  /** Membership, in the order the device file lists it (render order). */
  groups: string[];
  vars: Record<string, string>;
  config: ConfigLine[];
  /** `remove:` entries: what to take out of what the baseline and its groups give (render.ts). */
  remove: RemoveEntry[];
  /** Where its syslog comes from (events are accepted only from a known switch's address). */
  managementAddress?: string;
  /** Event rules this device declares interest in, by rule name. */
  events: Record<string, EventDeclaration>;
  xmpp: {
    user: string;
    /** Full bare JID, user@domain. */
    jid: string;
    password?: SecretRef;
  };
  position: SourcePosition;
}

/**
 * How the switches reach the XMPP server (fabric.yaml managementPath). What it leaves out is learned
 * from each switch's running config; a planned change to the path is refused unless `migration`
 * names it (safety/management-path/).
 */
export interface ManagementPathSettings {
  interface?: string;
  vrf?: string;
  migration?: PathMigration;
}

export interface Fabric {
  name: string;
  xmpp: XmppSettings;
  scope: ManagedScope;
  managementPath: ManagementPathSettings;
  rollout: RolloutSettings;
  drift: DriftSettings;
  github?: GithubSettings;
  policy: PolicySettings;
  events: EventSettings;
  /** Fabric-wide baseline config, rendered first on every switch. */
  baseline: ConfigLine[];
  vars: Record<string, string>;
  groups: Record<string, Group>;
  devices: Record<string, Device>;
}

/** A switch's intended config, as EOS running-config text (3-space indentation). */
export interface IntendedConfig {
  device: string;
  text: string;
}

/**
 * The raw files of a desired-state repo, as `readFabricRepo` found them: repo-relative path with forward
 * slashes ("fabric.yaml", "groups/leaf.yaml", "devices/leaf1.yaml") → the file's bytes. Tests may pass text.
 */
export interface FabricFiles {
  files: Record<string, Uint8Array | string>;
  /** Files the reader would not open: links and special files (the repo is untrusted data). */
  refused?: RefusedFile[];
}

/** A file of the repo that is a symbolic link or not a regular file; never read, reported by name. */
export interface RefusedFile {
  file: string;
  kind: "symlink" | "special";
}

/** What `validateFabric` returns: the model when the repo is valid, else every error found in one run. */
export type ValidationResult =
  | {
      ok: true;
      fabric: Fabric;
      warnings: FabricError[];
      /** Each device as validation rendered it (renderIntended takes one instead of rendering again). */
      renders: ReadonlyMap<string, DeviceRender>;
    }
  | { ok: false; errors: FabricError[]; warnings: FabricError[] };

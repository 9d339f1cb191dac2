/**
 * Written types (what a schema-valid YAML file holds) → the model types in types.ts, with defaults filled
 * in. Runs only on files that passed their schema, so the casts below are checked by the schema.
 */
import { managementInterfaceLine } from "../safety/management-path/index.ts";
import { readConfigLines } from "./config-lines.ts";
import { fileStart } from "./errors.ts";
import {
  normaliseEventDeclarations,
  normaliseEventSettings,
  type WrittenEventDeclarations,
  type WrittenEventSettings,
} from "./normalise-events.ts";
import { readRemoveEntries } from "./remove-entries.ts";
import { parseSecretRef } from "./secret-ref.ts";
import type {
  Device,
  Fabric,
  FabricError,
  FreezeWindow,
  GithubSettings,
  Group,
  ManagementPathSettings,
  SecretRef,
  VerifyBy,
} from "./types.ts";
import { type ParsedYaml, positionAt } from "./yaml-position.ts";

type WrittenVars = Record<string, string | number | boolean>;
type WrittenConfig = string | string[];
/** A command, or one command and the list of its lines to take away. */
type WrittenRemoveEntry = string | Record<string, WrittenRemoveEntry[]>;

export interface WrittenFabric {
  name: string;
  xmpp: {
    host: string;
    port?: number;
    switchServer?: string;
    domain: string;
    mucService: string;
    reconcilerJid: string;
    password?: string;
    clientCert?: { cert: string; key: string };
    caFile?: string;
    tls?: Fabric["xmpp"]["tls"];
    cliMode?: Fabric["xmpp"]["cliMode"];
    maxReplySize?: string;
    sessionPrivilege?: number;
    operatorJids?: string[];
  };
  managed: string[];
  unlistedInterfaces?: "keep" | "reset";
  managementPath?: ManagementPathSettings;
  ignore?: string[];
  policy?: {
    deny?: { pattern: string; reason: string }[];
    allowCommandSections?: { section: string; reason: string }[];
  };
  vars?: WrittenVars;
  baseline?: WrittenConfig;
  rollout?: {
    order?: string[];
    canarySwitches?: number;
    waves?: "per-group" | "canary-then-rest";
    maxParallel?: number;
    commitTimer?: string;
    verify?: VerifyBy;
    replyTimeout?: string;
    verifyTimeout?: string;
    stopOnFailure?: boolean;
    freeze?: WrittenFreezeWindow[];
  };
  drift?: { schedule?: string; selfHeal?: boolean; propose?: boolean };
  github?: {
    repo: string;
    branch?: string;
    driftIssueTitle?: string;
    applyBeforeMerge?: boolean;
    applyRequires?: GithubSettings["applyRequires"];
    applyPermission?: GithubSettings["applyPermission"];
  };
  events?: WrittenEventSettings;
}

interface WrittenFreezeWindow {
  name: string;
  reason: string;
  timeZone?: string;
  cron?: string;
  duration?: string;
  from?: string;
  until?: string;
}

export interface WrittenGroup {
  description?: string;
  vars?: WrittenVars;
  config?: WrittenConfig;
  remove?: WrittenRemoveEntry[] | null;
  events?: WrittenEventDeclarations;
}

export interface WrittenDevice {
  hostname?: string;
  description?: string;
  groups: string[];
  vars?: WrittenVars;
  config?: WrittenConfig;
  remove?: WrittenRemoveEntry[] | null;
  managementAddress?: string;
  events?: WrittenEventDeclarations;
  xmpp?: { user?: string; password?: string };
}

/** Everything of fabric.yaml: the Fabric without its groups and devices. */
export type FabricSettings = Omit<Fabric, "groups" | "devices">;

export const defaultXmppPort = 5222;

export function normaliseSettings(parsed: ParsedYaml): { settings: FabricSettings; errors: FabricError[] } {
  const written = parsed.data as WrittenFabric;
  const { xmpp, rollout = {}, drift = {}, github } = written;
  const baseline = readConfigLines(parsed, ["baseline"]);
  const settings: FabricSettings = {
    name: written.name,
    xmpp: {
      host: xmpp.host,
      port: xmpp.port ?? defaultXmppPort,
      switchServer: xmpp.switchServer ?? xmpp.host,
      domain: xmpp.domain,
      mucService: xmpp.mucService,
      reconcilerJid: xmpp.reconcilerJid,
      ...optional("reconcilerPassword", secretRef(xmpp.password)),
      ...optional("clientCert", xmpp.clientCert),
      ...optional("caFile", xmpp.caFile),
      tls: xmpp.tls ?? "starttls",
      cliMode: xmpp.cliMode ?? "auto",
      maxReplyBytes: sizeBytes(xmpp.maxReplySize ?? "8MB"),
      operatorJids: xmpp.operatorJids ?? [],
      sessionPrivilege: xmpp.sessionPrivilege ?? 15,
    },
    scope: {
      sections: written.managed,
      ignore: written.ignore ?? [],
      // Interfaces git does not list are left alone unless the fabric owns them all; the management
      // port never (a default would cut the switch off: safety/management-path/).
      keepUnlisted: written.unlistedInterfaces === "reset" ? [managementInterfaceLine] : ["^interface "],
    },
    managementPath: written.managementPath ?? {},
    rollout: {
      order: rollout.order ?? [],
      canarySwitches: rollout.canarySwitches ?? 0,
      waves: rollout.waves ?? "per-group",
      maxParallel: rollout.maxParallel ?? 4,
      commitTimer: rollout.commitTimer ?? "00:05:00",
      verify: rollout.verify ?? "session-diff",
      replyTimeoutMs: durationMs(rollout.replyTimeout ?? "30s"),
      verifyTimeoutMs: durationMs(rollout.verifyTimeout ?? "2m"),
      stopOnFailure: rollout.stopOnFailure ?? true,
      freeze: (rollout.freeze ?? []).map((w, index) => freezeWindow(parsed, w, index)),
    },
    drift: {
      schedule: drift.schedule ?? "*/15 * * * *",
      selfHeal: drift.selfHeal ?? false,
      propose: drift.propose ?? false,
    },
    ...optional(
      "github",
      github && {
        repo: github.repo,
        branch: github.branch ?? "main",
        driftIssueTitle: github.driftIssueTitle ?? "Configuration drift",
        applyBeforeMerge: github.applyBeforeMerge ?? false,
        applyRequires: github.applyRequires ?? [],
        applyPermission: github.applyPermission ?? "write",
      },
    ),
    policy: {
      deny: written.policy?.deny ?? [],
      allowCommandSections: written.policy?.allowCommandSections ?? [],
    },
    events: normaliseEventSettings(parsed, written.events),
    baseline: baseline.lines,
    vars: stringVars(written.vars),
  };
  return { settings, errors: baseline.errors };
}

export function normaliseGroup(name: string, parsed: ParsedYaml): { group: Group; errors: FabricError[] } {
  const written = (parsed.data ?? {}) as WrittenGroup;
  const config = readConfigLines(parsed, ["config"]);
  const remove = readRemoveEntries(parsed, ["remove"]);
  return {
    group: {
      name,
      description: written.description ?? "",
      config: config.lines,
      remove,
      vars: stringVars(written.vars),
      events: normaliseEventDeclarations(parsed, written.events),
      members: [],
      position: fileStart(parsed.file),
    },
    errors: config.errors,
  };
}

/** `domain` completes the JID; it is "" when fabric.yaml is unusable (JID rules then do not run). */
export function normaliseDevice(
  name: string,
  parsed: ParsedYaml,
  domain: string,
): { device: Device; errors: FabricError[] } {
  const written = parsed.data as WrittenDevice;
  const config = readConfigLines(parsed, ["config"]);
  const remove = readRemoveEntries(parsed, ["remove"]);
  const user = written.xmpp?.user ?? name;
  return {
    device: {
      name,
      hostname: written.hostname ?? name,
      ...optional("description", written.description),
      groups: written.groups,
      vars: stringVars(written.vars),
      config: config.lines,
      remove,
      ...optional("managementAddress", written.managementAddress),
      events: normaliseEventDeclarations(parsed, written.events),
      xmpp: { user, jid: `${user}@${domain}`, ...optional("password", secretRef(written.xmpp?.password)) },
      position: fileStart(parsed.file),
    },
    errors: config.errors,
  };
}

function freezeWindow(parsed: ParsedYaml, written: WrittenFreezeWindow, index: number): FreezeWindow {
  // The schema's oneOf guarantees cron + duration or from + until.
  const schedule: FreezeWindow["schedule"] =
    written.cron !== undefined
      ? { kind: "cron", cron: written.cron, durationMs: freezeDurationMs(written.duration ?? "") }
      : { kind: "range", from: written.from ?? "", until: written.until ?? "" };
  return {
    name: written.name,
    reason: written.reason,
    timeZone: written.timeZone ?? "UTC",
    schedule,
    position: positionAt(parsed, ["rollout", "freeze", index]),
  };
}

/** "62h", "2d12h", "90m" → milliseconds (the schema allows days, hours and minutes). */
export function freezeDurationMs(text: string): number {
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(text);
  if (!match || text === "") return Number.NaN;
  const [, d = "0", h = "0", m = "0"] = match;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(m)) * 60_000;
}

function stringVars(vars: WrittenVars | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(vars ?? {}).map(([key, value]) => [key, String(value)]));
}

function secretRef(text: string | undefined): SecretRef | undefined {
  return text === undefined ? undefined : parseSecretRef(text);
}

/** "30s" → 30000 (the schema allows ms, s and m). */
export function durationMs(text: string): number {
  const match = /^(\d+)(ms|s|m)$/.exec(text);
  if (!match) return Number.NaN;
  const unit = { ms: 1, s: 1000, m: 60_000 }[match[2] as "ms" | "s" | "m"];
  return Number(match[1]) * unit;
}

/** "8MB" → 8388608 (the schema allows kB and MB, binary multiples as memory is counted). */
export function sizeBytes(text: string): number {
  const match = /^(\d+)(kB|MB)$/.exec(text);
  if (!match) return Number.NaN;
  return Number(match[1]) * (match[2] === "kB" ? 1024 : 1024 * 1024);
}

/** Spreads `{ key: value }` only when value is defined (exactOptionalPropertyTypes-friendly). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

import { readFileSync } from "node:fs";
import { parse } from "yaml";
import type { GithubAuth } from "../github/index.ts";
import { type EventsServiceConfig, parseEventsConfig } from "./events-config.ts";

/**
 * What `reconciler serve` reads from its config file. It holds no secrets: those come only from the
 * environment or from files the environment names (ServiceSecrets).
 */
export interface ServiceConfig {
  /** The desired-state repo: a git URL or a local path. */
  repo: string;
  /** Journal, lock and clone cache (the CLI's --state-dir). */
  stateDir?: string;
  /** Where relative `file:` secret references start (the CLI's --secrets-dir); never the repo. */
  secretsDir?: string;
  listen: { host: string; port: number };
  /** Where people reach the status page (behind a proxy); commit statuses link to run pages there. */
  publicUrl?: string;
  github: {
    /** "owner/name"; default: the fabric's github.repo. */
    repo?: string;
    /** Tracked branch; default: the fabric's github.branch, else "main". */
    branch?: string;
    driftIssueTitle?: string;
    /** REST root for GitHub Enterprise Server. */
    apiUrl?: string;
    /** Login our comments are written by ("my-app[bot]"); only its comments are updated. */
    commentAuthor?: string;
  };
  /** maxBodyBytes: the largest payload read (GitHub's own cap, 25 MB, is the default and the maximum). */
  webhook: { path: string; maxBodyBytes?: number };
  /** 0 turns the poller off. */
  poll: { intervalSeconds: number };
  /** Overrides the fabric's drift settings; default: the fabric's drift.schedule and selfHeal. */
  drift?: { schedule?: string; selfHeal?: boolean };
  /** How long shutdown waits for the current run before abandoning it to the commit timers. */
  shutdownGraceSeconds: number;
  /** Switch syslog in (event rules of fabric.yaml); no listener without it. */
  events?: EventsServiceConfig;
}

export interface ServiceSecrets {
  webhookSecret?: string;
  github?: GithubAuth;
}

export type ConfigResult = { ok: true; config: ServiceConfig } | { ok: false; errors: string[] };

const SECRET_KEY = /(secret|token|password|private.?key)/i;

/** Parses the YAML config and fills defaults; every problem names the key and what to do. */
export function parseServiceConfig(text: string, file = "config"): ConfigResult {
  let raw: unknown;
  try {
    raw = parse(text) ?? {};
  } catch (error) {
    return { ok: false, errors: [`${file}: not valid YAML: ${(error as Error).message}`] };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    return { ok: false, errors: [`${file}: expected a mapping of settings`] };
  }
  const errors: string[] = [];
  const walk = (value: unknown, path: string) => {
    if (typeof value !== "object" || value === null) return;
    for (const [key, inner] of Object.entries(value)) {
      if (SECRET_KEY.test(key) && key !== "driftIssueTitle" && !(path === "" && key === "secretsDir")) {
        errors.push(
          `${file}: ${path}${key} looks like a secret; set it in the environment instead (see reconciler serve --help)`,
        );
      }
      walk(inner, `${path}${key}.`);
    }
  };
  walk(raw, "");
  const r = raw as Record<string, Record<string, unknown> | undefined> & { repo?: unknown };
  const str = (value: unknown, key: string): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value === "string" && value !== "") return value;
    errors.push(`${file}: ${key} must be a non-empty string`);
    return undefined;
  };
  const num = (value: unknown, key: string, fallback: number, max = 65_535): number => {
    if (value === undefined) return fallback;
    if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= max) return value;
    errors.push(`${file}: ${key} must be a whole number from 0 to ${max}`);
    return fallback;
  };
  const repo = str(r.repo, "repo");
  if (!repo) errors.push(`${file}: repo is required (the desired-state repo: a git URL or a local path)`);
  const selfHeal = r.drift?.selfHeal;
  if (selfHeal !== undefined && typeof selfHeal !== "boolean")
    errors.push(`${file}: drift.selfHeal must be true or false`);
  const config: ServiceConfig = {
    repo: repo ?? "",
    stateDir: str(r.stateDir, "stateDir"),
    secretsDir: str(r.secretsDir, "secretsDir"),
    listen: {
      host: str(r.listen?.host, "listen.host") ?? "127.0.0.1",
      port: num(r.listen?.port, "listen.port", 8080),
    },
    publicUrl: str(r.publicUrl, "publicUrl"),
    github: {
      repo: str(r.github?.repo, "github.repo"),
      branch: str(r.github?.branch, "github.branch"),
      driftIssueTitle: str(r.github?.driftIssueTitle, "github.driftIssueTitle"),
      apiUrl: str(r.github?.apiUrl, "github.apiUrl"),
      commentAuthor: str(r.github?.commentAuthor, "github.commentAuthor"),
    },
    webhook: {
      path: str(r.webhook?.path, "webhook.path") ?? "/webhook",
      maxBodyBytes:
        r.webhook?.maxBodyBytes === undefined
          ? undefined
          : num(r.webhook.maxBodyBytes, "webhook.maxBodyBytes", 0, 25 * 1024 * 1024),
    },
    poll: { intervalSeconds: num(r.poll?.intervalSeconds, "poll.intervalSeconds", 0, 86_400) },
    drift: r.drift
      ? { schedule: str(r.drift.schedule, "drift.schedule"), selfHeal: selfHeal as boolean | undefined }
      : undefined,
    shutdownGraceSeconds: num(r.shutdownGraceSeconds, "shutdownGraceSeconds", 120, 3_600),
    events: parseEventsConfig(r.events, file, errors),
  };
  return errors.length > 0 ? { ok: false, errors } : { ok: true, config };
}

/**
 * Secrets from the environment, each also readable from a file (`<NAME>_FILE`, the Docker/systemd
 * credentials convention): RECONCILER_WEBHOOK_SECRET; GITHUB_TOKEN, or GITHUB_APP_ID +
 * GITHUB_APP_INSTALLATION_ID + GITHUB_APP_PRIVATE_KEY.
 */
export function readServiceSecrets(
  env: NodeJS.ProcessEnv,
): { ok: true; secrets: ServiceSecrets } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const read = (name: string): string | undefined => {
    const file = env[`${name}_FILE`];
    if (file) {
      try {
        return readFileSync(file, "utf8").trim();
      } catch (error) {
        errors.push(
          `${name}_FILE: cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
        );
        return undefined;
      }
    }
    return env[name] || undefined;
  };
  const secrets: ServiceSecrets = { webhookSecret: read("RECONCILER_WEBHOOK_SECRET") };
  const token = read("GITHUB_TOKEN");
  const appId = env.GITHUB_APP_ID;
  if (appId) {
    const installationId = Number(env.GITHUB_APP_INSTALLATION_ID);
    const privateKey = read("GITHUB_APP_PRIVATE_KEY");
    if (!Number.isInteger(installationId) || installationId <= 0) {
      errors.push(
        "GITHUB_APP_INSTALLATION_ID must be set to the installation's number when GITHUB_APP_ID is set",
      );
    }
    if (!privateKey)
      errors.push(
        "GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE must be set when GITHUB_APP_ID is set",
      );
    if (privateKey) secrets.github = { kind: "app", appId, privateKey, installationId };
  } else if (token) {
    secrets.github = { kind: "token", token };
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, secrets };
}

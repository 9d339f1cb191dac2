/**
 * The reconciler's own side on this machine: the webhook secret, the state dir's and secret files'
 * modes, and what GitHub says the token may do (the `x-oauth-scopes` header of a classic token).
 */
import { readFile, stat } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import type { Fabric, SecretRef } from "../fabric/types.ts";
import type { LocalObservation } from "./types.ts";

export interface LocalTarget {
  env: Readonly<Record<string, string | undefined>>;
  fabric: Fabric;
  stateDir: string;
  /** Where relative file: references start. */
  secretsDir?: string;
  /** Where relative fabric paths (the client key) start. */
  repoDir: string;
  fetch?: typeof fetch;
}

/** Secrets the service reads from `NAME_FILE` when NAME is unset (README, "Secrets only from the environment"). */
const FILE_SECRETS = [
  "RECONCILER_WEBHOOK_SECRET_FILE",
  "RECONCILER_XMPP_PASSWORD_FILE",
  "GITHUB_TOKEN_FILE",
  "GITHUB_APP_PRIVATE_KEY_FILE",
];

export async function observeLocal(t: LocalTarget): Promise<LocalObservation> {
  const files: { path: string; what: string }[] = [];
  for (const name of FILE_SECRETS) if (t.env[name]) files.push({ path: t.env[name]!, what: name });
  const refFile = (ref: SecretRef | undefined, what: string) => {
    if (ref?.kind !== "file") return;
    const base = t.secretsDir ?? "";
    files.push({ path: isAbsolute(ref.path) ? ref.path : join(base, ref.path), what });
  };
  refFile(t.fabric.xmpp.reconcilerPassword, "xmpp.password");
  for (const d of Object.values(t.fabric.devices))
    refFile(d.xmpp.password, `devices/${d.name} xmpp password`);
  const key = t.fabric.xmpp.clientCert?.key;
  if (key) files.push({ path: isAbsolute(key) ? key : join(t.repoDir, key), what: "xmpp.clientCert.key" });

  const secretFiles = await Promise.all(
    unique(files).map(async (f) => {
      try {
        return { ...f, mode: (await stat(f.path)).mode };
      } catch (error) {
        return { ...f, error: `cannot read it (${(error as NodeJS.ErrnoException).code ?? error})` };
      }
    }),
  );
  const stateDir = await stat(t.stateDir).then(
    (s) => ({ path: t.stateDir, mode: s.mode }),
    () => ({ path: t.stateDir, missing: true }),
  );
  return {
    webhookSecret: await webhookSecret(t.env),
    stateDir,
    secretFiles,
    github: await githubToken(t),
  };
}

async function webhookSecret(env: LocalTarget["env"]): Promise<LocalObservation["webhookSecret"]> {
  if (env.RECONCILER_WEBHOOK_SECRET)
    return { source: "RECONCILER_WEBHOOK_SECRET", length: env.RECONCILER_WEBHOOK_SECRET.length };
  const file = env.RECONCILER_WEBHOOK_SECRET_FILE;
  if (!file) return undefined;
  const text = await readFile(file, "utf8").catch(() => "");
  return { source: file, length: text.replace(/\r?\n$/, "").length };
}

async function githubToken(t: LocalTarget): Promise<LocalObservation["github"]> {
  if (t.env.GITHUB_APP_ID) return { kind: "app" };
  const token =
    t.env.GITHUB_TOKEN ||
    (t.env.GITHUB_TOKEN_FILE ? (await readFile(t.env.GITHUB_TOKEN_FILE, "utf8").catch(() => "")).trim() : "");
  if (!token) return { kind: "none" };
  const api = (t.env.GITHUB_API_URL || "https://api.github.com").replace(/\/$/, "");
  try {
    const response = await (t.fetch ?? fetch)(`${api}/user`, {
      headers: { authorization: `token ${token}`, accept: "application/vnd.github+json" },
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    if (response.status === 401) return { kind: "token", error: "GitHub refused the token (401)" };
    const header = response.headers.get("x-oauth-scopes");
    // fine-grained tokens and App tokens carry no scopes header
    if (header === null) return { kind: "token" };
    return {
      kind: "token",
      scopes: header
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    };
  } catch (error) {
    return { kind: "token", error: (error as Error).message };
  }
}

function unique<T extends { path: string }>(items: T[]): T[] {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(i.path) && seen.add(i.path));
}

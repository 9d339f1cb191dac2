import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { secretRefPattern } from "./policy.ts";
import type { SecretRef } from "./types.ts";

/** "env:NAME" → { kind: "env", name }, "file:/path" → { kind: "file", path }; undefined for anything else. */
export function parseSecretRef(text: string): SecretRef | undefined {
  if (!secretRefPattern.test(text)) return undefined;
  if (text.startsWith("env:")) return { kind: "env", name: text.slice(4) };
  return { kind: "file", path: text.slice(5) };
}

export function formatSecretRef(ref: SecretRef): string {
  return ref.kind === "env" ? `env:${ref.name}` : `file:${ref.path}`;
}

/**
 * Why a `file:` path may not be used, or undefined. A `..` segment would leave the secrets directory
 * (file:../../etc/shadow), so it is refused wherever it appears, absolute or not.
 */
export function secretPathProblem(path: string): string | undefined {
  if (path.split(/[\\/]/).includes("..")) return "it climbs out of the secrets directory with ..";
  if (path.includes("\0")) return "it contains a NUL character";
  return undefined;
}

/** A secret that the environment or the file system does not provide; the message names the reference. */
export class SecretUnavailableError extends Error {
  override name = "SecretUnavailableError";
  constructor(
    readonly ref: SecretRef,
    message: string,
  ) {
    super(message);
  }
}

export interface SecretSources {
  /** Where a relative `file:` path starts: the service's configured secrets directory, never the repo or cwd. */
  secretsDir?: string;
  /** Told every value read, so that the process's one redaction step removes it from every report. */
  onRead?: (value: string) => void;
}

/**
 * Reads a secret (IO: environment or file; the only IO in the fabric module besides readFabricRepo).
 * Only the service's configuration side calls it, with the trusted settings (reconcile/trust-boundary):
 * a `file:` path is absolute or relative to the configured secrets directory, never to the repo or the
 * working directory. A file's trailing newline is dropped, since `echo pw > file` adds one.
 */
export function resolveSecret(
  ref: SecretRef,
  env: Record<string, string | undefined>,
  sources: SecretSources = {},
): string {
  const value = ref.kind === "env" ? fromEnv(ref, env) : fromFile(ref, sources.secretsDir);
  sources.onRead?.(value);
  return value;
}

function fromEnv(ref: Extract<SecretRef, { kind: "env" }>, env: Record<string, string | undefined>): string {
  const value = env[ref.name];
  if (value === undefined || value === "") {
    throw new SecretUnavailableError(
      ref,
      `secret env:${ref.name} is not set: export ${ref.name} in the reconciler's environment`,
    );
  }
  return value;
}

function fromFile(ref: Extract<SecretRef, { kind: "file" }>, secretsDir: string | undefined): string {
  const problem = secretPathProblem(ref.path);
  if (problem) throw new SecretUnavailableError(ref, `secret file:${ref.path} is refused: ${problem}`);
  if (!isAbsolute(ref.path) && !secretsDir) {
    throw new SecretUnavailableError(
      ref,
      `secret file:${ref.path} is relative and no secrets directory is configured: set RECONCILER_SECRETS_DIR (or --secrets-dir, or secretsDir in the service config), or write an absolute path`,
    );
  }
  const path = isAbsolute(ref.path) ? ref.path : join(secretsDir!, ref.path);
  let text: string;
  try {
    // O_NONBLOCK: a FIFO must not hang the reconciler; only a regular file is read.
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      if (!fstatSync(fd).isFile())
        throw Object.assign(new Error("not a regular file"), { code: "not a regular file" });
      text = readFileSync(fd, "utf8");
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SecretUnavailableError(ref, `secret file:${ref.path} cannot be read (${reason})`);
  }
  const value = text.replace(/\r?\n$/, "");
  if (value === "") throw new SecretUnavailableError(ref, `secret file:${ref.path} is empty`);
  return value;
}

import { readFileSync } from "node:fs";
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

/**
 * Reads a secret at start-up (IO: environment or file; the only IO in the fabric module besides
 * readFabricRepo). A file's trailing newline is dropped, since `echo pw > file` adds one.
 */
export function resolveSecret(ref: SecretRef, env: Record<string, string | undefined>): string {
  if (ref.kind === "env") {
    const value = env[ref.name];
    if (value === undefined || value === "") {
      throw new SecretUnavailableError(
        ref,
        `secret env:${ref.name} is not set: export ${ref.name} in the reconciler's environment`,
      );
    }
    return value;
  }
  let text: string;
  try {
    text = readFileSync(ref.path, "utf8");
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    throw new SecretUnavailableError(ref, `secret file:${ref.path} cannot be read (${reason})`);
  }
  const value = text.replace(/\r?\n$/, "");
  if (value === "") throw new SecretUnavailableError(ref, `secret file:${ref.path} is empty`);
  return value;
}

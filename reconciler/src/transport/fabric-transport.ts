/** The composition used by the CLI and the server: fabric + environment + flags → a connected transport. */
import { resolveSecret } from "../fabric/index.ts";
import type { Fabric, SecretRef } from "../fabric/types.ts";
import { fabricDirectory } from "./directory.ts";
import { ConnectFailedError } from "./errors.ts";
import { processResource } from "./resource.ts";
import { resolveTransportSettings, type TransportFlags, type TransportSettings } from "./settings.ts";
import { connectTransport, type Transport } from "./transport.ts";

export interface OpenFabricTransportOptions {
  env: Readonly<Record<string, string | undefined>>;
  flags?: TransportFlags;
  warn?: (message: string) => void;
  readSecret?: (ref: SecretRef) => string;
  /**
   * Where a relative `file:` secret reference starts (the service's configuration, never the repo);
   * default RECONCILER_SECRETS_DIR of `env`.
   */
  secretsDir?: string;
  /** Told each secret value read, so the process's redactor removes it from every report. */
  onSecret?: (value: string) => void;
  repoDir?: string;
  /** Overrides of the resolved settings (tests, benchmarks). */
  tune?: Partial<TransportSettings>;
}

/** Throws ConnectFailedError (code "connect-failed") for unusable settings, or the session's typed error. */
export async function openFabricTransport(fabric: Fabric, o: OpenFabricTransportOptions): Promise<Transport> {
  const secretsDir = o.secretsDir ?? (o.env.RECONCILER_SECRETS_DIR || undefined);
  const resolved = resolveTransportSettings(fabric.xmpp, o.env, o.flags ?? {}, {
    readSecret:
      o.readSecret ?? ((ref) => resolveSecret(ref, { ...o.env }, { secretsDir, onRead: o.onSecret })),
    repoDir: o.repoDir,
    replyTimeoutMs: fabric.rollout.replyTimeoutMs,
    resource: processResource(),
  });
  if (!resolved.ok) {
    throw new ConnectFailedError(resolved.errors.map((e) => `${e.message}: ${e.hint}`).join("; "));
  }
  const settings = { ...resolved.settings, ...o.tune };
  if (settings.password) o.onSecret?.(settings.password);
  return connectTransport(settings, fabricDirectory(fabric, settings), { onWarning: o.warn });
}

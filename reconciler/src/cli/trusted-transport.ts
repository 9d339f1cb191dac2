/**
 * The transport of `exec` and `record`: the checkout's switches, reached with the tracked branch
 * head's connection settings (trusted-settings.ts).
 */
import type { Fabric } from "../fabric/types.ts";
import { openFabricTransport, type Transport } from "../transport/index.ts";
import type { CliContext } from "./context.ts";
import { ExitCode } from "./exit-codes.ts";
import { secretOptions, transportFlags, type XmppOptions } from "./fabric-options.ts";
import { readTrustedSettings, type TrustedSettingsOptions } from "./trusted-settings.ts";

export interface TrustedTransportOptions extends XmppOptions, TrustedSettingsOptions {}

export type TrustedTransport =
  | { ok: true; transport: Transport; close(): Promise<void> }
  | { ok: false; exitCode: number; message: string };

/**
 * Opens the transport for `fabric` (already loaded from `repo`, a local directory) with the trusted
 * settings. A repo whose settings differ from the tracked branch's gets a warning naming them; a
 * directory that is no git repo is its own trusted state (gitSource.trusted).
 */
export async function openTrustedTransport(
  repo: string,
  fabric: Fabric,
  options: TrustedTransportOptions,
  ctx: CliContext,
): Promise<TrustedTransport> {
  const trust = await readTrustedSettings(repo, fabric, options, ctx);
  if (!trust.ok) return trust;
  const trusted = trust.settings;
  try {
    const transport = await openFabricTransport(
      { ...fabric, xmpp: trusted.xmpp },
      {
        repoDir: trusted.dir,
        env: ctx.env,
        flags: transportFlags(options),
        ...secretOptions(options, ctx),
        warn: (message) => ctx.stderr(`warning: ${message}\n`),
      },
    );
    // The trusted export holds the CA file a reconnect reads again: keep it as long as the transport.
    return { ok: true, transport, close: () => transport.close().finally(() => trusted.dispose()) };
  } catch (error) {
    await trusted.dispose();
    return {
      ok: false,
      exitCode: ExitCode.unreachable,
      message: `cannot reach the XMPP server: ${(error as Error).message}`,
    };
  }
}

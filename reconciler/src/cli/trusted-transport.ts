/**
 * The trust boundary for the commands that connect without a runner (`exec`, `record`): they read the
 * checkout they are pointed at for what to do (which switches, which group), but connect with the
 * tracked branch head's `xmpp` block from git objects, exactly as plan/apply do (trust-boundary.ts).
 * Run on a PR's checkout, they never use that PR's server, CA, TLS mode or secret reference.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Fabric } from "../fabric/types.ts";
import { trustedSettings } from "../reconcile/trust-boundary.ts";
import { gitSource } from "../source/index.ts";
import { openFabricTransport, type Transport } from "../transport/index.ts";
import { stateFor } from "./compose-runner.ts";
import type { CliContext } from "./context.ts";
import { ExitCode } from "./exit-codes.ts";
import { secretOptions, transportFlags, type XmppOptions } from "./fabric-options.ts";

export interface TrustedTransportOptions extends XmppOptions {
  /** The tracked branch whose head's settings are trusted; default main. */
  branch?: string;
}

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
  const dir = resolve(ctx.cwd, repo);
  const source = gitSource({
    source: dir,
    // Unused for a local directory (the only kind these commands take); kept where plan keeps it.
    cacheDir: join(stateFor(existsSync(dir) ? dir : repo, {}, ctx).dir, "repo-cache"),
    branch: options.branch,
  });
  let desired: Awaited<ReturnType<typeof source.checkout>>;
  try {
    desired = await source.checkout();
  } catch (error) {
    return { ok: false, exitCode: ExitCode.invalidInput, message: (error as Error).message };
  }
  const trusted = await trustedSettings(source, desired, fabric);
  await desired.dispose();
  if (!("xmpp" in trusted)) return { ok: false, exitCode: trusted.exitCode, message: trusted.message };
  if (trusted.changes.length > 0) {
    ctx.stderr(
      `warning: ${repo} changes ${trusted.changes.join(", ")}; these settings take effect on merge: connecting with those of ${options.branch ?? "main"} at ${trusted.sha.slice(0, 7)}\n`,
    );
  }
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

/**
 * The trust boundary for the commands that connect without a runner (`exec`, `record`, `doctor`): they
 * read the checkout they are pointed at for what to do (which switches, which groups), but connect with
 * the tracked branch head's `xmpp` block from git objects, exactly as plan/apply do (trust-boundary.ts).
 * Run on a PR's checkout, they never use that PR's server, CA, TLS mode or secret reference.
 */
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Fabric } from "../fabric/types.ts";
import { type TrustedSettings, trustedSettings } from "../reconcile/trust-boundary.ts";
import { gitSource } from "../source/index.ts";
import { stateFor } from "./compose-runner.ts";
import type { CliContext } from "./context.ts";
import { ExitCode } from "./exit-codes.ts";

export interface TrustedSettingsOptions {
  /** The tracked branch whose head's settings are trusted; default main. */
  branch?: string;
}

export type CheckoutTrust =
  | {
      ok: true;
      settings: TrustedSettings;
      /** The tracked branch the settings are from. */
      branch: string;
      /** `repo` is a directory that is no git repo: its own settings are the trusted ones. */
      isOwnTrustedState: boolean;
    }
  | { ok: false; exitCode: number; message: string };

/**
 * The connection settings for `fabric` (already loaded from `repo`, a local directory): the tracked
 * branch head's, with a warning naming what the checkout changes. The caller disposes of `settings`
 * once nothing reads its files (the CA) any more.
 */
export async function readTrustedSettings(
  repo: string,
  fabric: Fabric,
  options: TrustedSettingsOptions,
  ctx: CliContext,
): Promise<CheckoutTrust> {
  const dir = resolve(ctx.cwd, repo);
  const branch = options.branch ?? "main";
  const source = gitSource({
    source: dir,
    // Unused for a local directory (the only kind these commands take); kept where plan keeps it.
    cacheDir: join(stateFor(existsSync(dir) ? dir : repo, {}, ctx).dir, "repo-cache"),
    branch,
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
      `warning: ${repo} changes ${trusted.changes.join(", ")}; these settings take effect on merge: connecting with those of ${branch} at ${trusted.sha.slice(0, 7)}\n`,
    );
  }
  // A directory that is no git repo has no commit: gitSource names its revision "worktree".
  return { ok: true, settings: trusted, branch, isOwnTrustedState: trusted.sha === "worktree" };
}

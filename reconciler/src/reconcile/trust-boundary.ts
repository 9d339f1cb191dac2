/**
 * The trust boundary. Everything read from a revision that is not the tracked branch's head is
 * untrusted data: a PR (from a fork or from a branch of the repo alike) may change the desired state
 * of the switches, which is what a plan shows, but never where the reconciler connects, which CA it
 * trusts, its TLS mode, which secret it reads or which files it opens. Those come only from the
 * tracked branch's head commit (read from git objects, FabricSource.trusted) or from the service's
 * own configuration (flags, environment). A PR that changes them gets a plan that says so.
 */
import { createHash } from "node:crypto";
import { constants } from "node:fs";
import { lstat, open, realpath } from "node:fs/promises";
import { isAbsolute, join, relative, sep } from "node:path";
import { loadFabric } from "../fabric/index.ts";
import type { Fabric, XmppSettings } from "../fabric/types.ts";
import type { DesiredState, FabricSource } from "../source/index.ts";
import { ExitCode } from "./exit-codes.ts";
import { type RunRefusal, refusal } from "./types.ts";

/** The settings a run connects with, from the tracked branch head, and what the run's revision changes. */
export interface TrustedSettings {
  xmpp: XmppSettings;
  /** Where the trusted settings' relative files (CA, client certificate) are. */
  dir: string;
  /** The trusted revision's sha. */
  sha: string;
  /** Connection settings the run's revision changes: they take effect on merge, not in this run. */
  changes: string[];
  /** Releases the trusted checkout (after the connection that reads its CA file is closed). */
  dispose(): Promise<void>;
}

/** The connection settings for a run of `desired` (already validated as `fabric`). */
export async function trustedSettings(
  source: FabricSource,
  desired: DesiredState,
  fabric: Fabric,
): Promise<TrustedSettings | RunRefusal> {
  let trusted: DesiredState;
  try {
    trusted = await source.trusted();
  } catch (error) {
    return refusal("source-error", ExitCode.invalidInput, (error as Error).message);
  }
  // Even for the tracked branch head itself the settings come from the export of its commit, not from
  // a working tree that may hold ignored or uncommitted files at the CA's path — unless the source read
  // the head in place (a clean checkout of it) and the run is of that head: then `fabric` was just
  // loaded from the very same files (reading 2,000 device files again cost an apply 0.3 s, issue 14).
  const sameFiles = trusted.dir === desired.dir && trusted.revision.sha === desired.revision.sha;
  const loaded = sameFiles ? ({ ok: true, fabric } as const) : await loadFabric(trusted.dir);
  if (!loaded.ok) {
    await trusted.dispose();
    return refusal(
      "invalid-input",
      ExitCode.invalidInput,
      `the tracked branch's desired state at ${trusted.revision.sha.slice(0, 7)} is invalid (${loaded.errors.length} errors); connection settings come only from it: fix the branch first`,
    );
  }
  const xmpp = loaded.fabric.xmpp;
  const unsafe = await unsafeFiles(xmpp, trusted.dir);
  if (unsafe.length > 0) {
    await trusted.dispose();
    return refusal(
      "invalid-input",
      ExitCode.invalidInput,
      `the tracked branch's connection settings name files the reconciler will not read: ${unsafe.join("; ")}. Commit the file itself inside the repo, or give an absolute path on the reconciler's host`,
    );
  }
  const changes =
    trusted.revision.sha === desired.revision.sha
      ? []
      : await changedSettings({ xmpp: fabric.xmpp, dir: desired.dir }, { xmpp, dir: trusted.dir });
  return { xmpp, dir: trusted.dir, sha: trusted.revision.sha, changes, dispose: () => trusted.dispose() };
}

/**
 * The tracked head's export started now, ahead of the trustedSettings that takes it: `source` gives it
 * to the first trusted() call; `release` disposes of it when nothing took it (the run ended before).
 */
export function prefetchTrusted(source: FabricSource): { source: FabricSource; release(): Promise<void> } {
  const pending = source.trusted();
  pending.catch(() => {}); // the error is the taker's to report
  let taken = false;
  return {
    source: {
      checkout: (rev) => source.checkout(rev),
      headOf: (branch) => source.headOf(branch),
      contains: (head, sha) => source.contains(head, sha),
      trusted: () => {
        if (taken) return source.trusted();
        taken = true;
        return pending;
      },
    },
    async release() {
      if (taken) return;
      taken = true;
      await pending.then(
        (state) => state.dispose(),
        () => undefined,
      );
    },
  };
}

/**
 * A CA or client-certificate path in the trusted checkout must be a regular file inside it: not a link
 * (git keeps links, and one to /proc/self/environ or a key elsewhere would be read), not reached
 * through a linked folder, not a FIFO or device.
 */
async function unsafeFiles(xmpp: XmppSettings, dir: string): Promise<string[]> {
  const named: [string, string | undefined][] = [
    ["xmpp.caFile", xmpp.caFile],
    ["xmpp.clientCert.cert", xmpp.clientCert?.cert],
    ["xmpp.clientCert.key", xmpp.clientCert?.key],
  ];
  const problems: string[] = [];
  for (const [field, path] of named) {
    if (path === undefined) continue;
    // loadFabric made repo paths absolute; one outside the checkout was written absolute (the host's
    // own file, the operator's choice) — a `..` that climbs out is a validation error (repo-path).
    const inside = repoPath(dir, path);
    if (isAbsolute(inside)) continue;
    const problem = await notARegularFileInside(dir, inside);
    if (problem) problems.push(`${field} ${inside} ${problem}`);
  }
  return problems;
}

type Side = { xmpp: XmppSettings; dir: string };

/** Paths inside a checkout, as the repo names them (the two checkouts live in different temp dirs). */
function repoPath(dir: string, path: string): string {
  const inside = relative(dir, path);
  return inside.startsWith("..") || isAbsolute(inside) ? path : inside;
}

const FILE_FIELDS = ["caFile", "clientCert.cert", "clientCert.key"] as const;

function fields(side: Side): Record<string, unknown> {
  const { caFile, clientCert, ...rest } = side.xmpp;
  return {
    ...rest,
    caFile: caFile && repoPath(side.dir, caFile),
    "clientCert.cert": clientCert && repoPath(side.dir, clientCert.cert),
    "clientCert.key": clientCert && repoPath(side.dir, clientCert.key),
  };
}

/**
 * The xmpp settings that differ, by name ("xmpp.port"); a CA or certificate file at the same place in
 * both revisions but with other content is "xmpp.caFile (content)". The untrusted side's file is only
 * hashed, never shown, and only when it is a regular file inside its checkout.
 */
export async function changedSettings(untrusted: Side, trusted: Side): Promise<string[]> {
  const a = fields(untrusted);
  const b = fields(trusted);
  const changes: string[] = [];
  for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
    if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) changes.push(`xmpp.${key}`);
  }
  for (const key of FILE_FIELDS) {
    const path = a[key];
    if (typeof path !== "string" || path !== b[key] || isAbsolute(path)) continue;
    const [mine, theirs] = await Promise.all([
      contentHash(untrusted.dir, path),
      contentHash(trusted.dir, path),
    ]);
    if (mine !== theirs) changes.push(`xmpp.${key} (content)`);
  }
  return changes;
}

async function notARegularFileInside(dir: string, path: string): Promise<string | undefined> {
  const full = join(dir, path);
  try {
    const stat = await lstat(full);
    if (stat.isSymbolicLink()) return "is a symbolic link";
    if (!stat.isFile()) return "is not a regular file";
    // A folder on the way may be a link too (pki -> /etc/ssl/private).
    const [real, root] = await Promise.all([realpath(full), realpath(dir)]);
    if (!real.startsWith(`${root}${sep}`)) return "is reached through a link out of the repo";
  } catch (error) {
    // A missing file is the transport's to report (it names the CA file it cannot read).
    if ((error as NodeJS.ErrnoException).code !== "ENOENT")
      return `cannot be checked (${(error as NodeJS.ErrnoException).code})`;
  }
  return undefined;
}

async function contentHash(dir: string, path: string): Promise<string> {
  try {
    const handle = await open(
      `${dir}/${path}`,
      constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK,
    );
    try {
      if (!(await handle.stat()).isFile()) return "not a regular file";
      return createHash("sha256")
        .update(await handle.readFile())
        .digest("hex");
    } finally {
      await handle.close();
    }
  } catch (error) {
    return `unreadable: ${(error as NodeJS.ErrnoException).code}`;
  }
}

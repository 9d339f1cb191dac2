import { mkdir, open, readFile, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { isProcessAlive } from "../journal/index.ts";
import { type Lock, LockHeldError, type LockHolder, LockUnavailableError } from "./types.ts";

/**
 * The host's lock files: `<dir>/<fabric>.lock`, created with O_EXCL. Every process that uses the same
 * `dir` (the state root by default; RECONCILER_LOCK_DIR for a host-wide one) shares one writer per
 * fabric, whichever checkout or clone of the desired state it runs from. A lock is stale when its
 * process is dead (same host) or it is older than `staleAfterMs`; a stale lock is taken over, which
 * the journal then shows as an interrupted run.
 */
export function fileLocks(dir: string, staleAfterMs = 6 * 3600_000): Lock {
  const pathOf = (fabric: string) => join(dir, `${fabric.replace(/[^A-Za-z0-9_.-]/g, "_") || "fabric"}.lock`);
  return {
    async holder(fabric) {
      const current = await readHolder(pathOf(fabric));
      return current && !isStale(current, staleAfterMs) ? current : undefined;
    },
    async acquire(fabric, runId) {
      const path = pathOf(fabric);
      try {
        await mkdir(dir, { recursive: true, mode: 0o700 });
      } catch (error) {
        throw unavailable(path, error);
      }
      const holder: LockHolder = {
        fabric,
        pid: process.pid,
        host: hostname(),
        runId,
        acquiredAt: new Date().toISOString(),
      };
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          const file = await open(path, "wx", 0o644);
          try {
            await file.writeFile(JSON.stringify(holder));
            await file.sync();
          } finally {
            await file.close();
          }
          return {
            holder,
            async release() {
              const current = await readHolder(path);
              if (current?.runId === runId && current.pid === process.pid) await unlink(path).catch(() => {});
            },
          };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw unavailable(path, error);
          const current = await readHolder(path);
          if (current && !isStale(current, staleAfterMs)) throw new LockHeldError(current, path);
          await unlink(path).catch(() => {});
        }
      }
      throw new LockUnavailableError(`could not take the lock ${path}: it keeps reappearing`);
    },
  };
}

function unavailable(path: string, error: unknown): LockUnavailableError {
  const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
  return new LockUnavailableError(
    `cannot use the fabric lock ${path} (${code}); make its directory writable or set RECONCILER_LOCK_DIR`,
    { cause: error },
  );
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as LockHolder;
  } catch {
    return undefined; // missing or half-written: treated as stale
  }
}

function isStale(holder: LockHolder, staleAfterMs: number): boolean {
  const age = Date.now() - Date.parse(holder.acquiredAt);
  if (!(age < staleAfterMs)) return true;
  return holder.host === hostname() && !isProcessAlive(holder.pid);
}

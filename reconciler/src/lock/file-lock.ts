import { mkdir, open, readFile, unlink } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { isProcessAlive } from "../journal/index.ts";

export interface LockHolder {
  pid: number;
  host: string;
  runId: string;
  acquiredAt: string;
}

/** One run per fabric (DESIGN §7). Small so that a Redis lease can replace it (DESIGN §11). */
export interface Lock {
  acquire(runId: string): Promise<LockHandle>;
}

export interface LockHandle {
  holder: LockHolder;
  release(): Promise<void>;
}

export class LockHeldError extends Error {
  readonly code = "locked";
  constructor(
    readonly holder: LockHolder,
    readonly path: string,
  ) {
    super(
      `another run holds the fabric lock: run ${holder.runId}, pid ${holder.pid} on ${holder.host}, since ${holder.acquiredAt} (${path}). Wait for it to finish; if that process is gone, the lock is removed automatically`,
    );
  }
}

/**
 * A lock file created with O_EXCL. A lock is stale when its process is dead (same host) or it is
 * older than `staleAfterMs`; a stale lock is taken over, which the journal then shows as an
 * interrupted run.
 */
export function fileLock(path: string, staleAfterMs = 6 * 3600_000): Lock {
  return {
    async acquire(runId) {
      await mkdir(dirname(path), { recursive: true });
      const holder: LockHolder = {
        pid: process.pid,
        host: hostname(),
        runId,
        acquiredAt: new Date().toISOString(),
      };
      for (let attempt = 0; attempt < 2; attempt++) {
        try {
          const file = await open(path, "wx", 0o600);
          await file.writeFile(JSON.stringify(holder));
          await file.close();
          return {
            holder,
            async release() {
              const current = await readHolder(path);
              if (current?.runId === runId && current.pid === process.pid) await unlink(path).catch(() => {});
            },
          };
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
          const current = await readHolder(path);
          if (current && !isStale(current, staleAfterMs)) throw new LockHeldError(current, path);
          await unlink(path).catch(() => {});
        }
      }
      throw new Error(`could not take the lock ${path}: it keeps reappearing`);
    },
  };
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

/**
 * One writer per fabric (DESIGN §7). Small on purpose so that a shared backend (a Redis lease, a
 * database row) can replace the host's lock files when replicas run on several hosts (DESIGN §11):
 * an implementation only has to take, inspect and release a named lease.
 */

export interface LockHolder {
  /** The fabric the lock covers (fabric.yaml `name`): the switches, not the checkout. */
  fabric: string;
  pid: number;
  host: string;
  runId: string;
  acquiredAt: string;
}

export interface Lock {
  /** Takes the fabric's lock for `runId`, or throws LockHeldError naming the holder. */
  acquire(fabric: string, runId: string): Promise<LockHandle>;
  /** Who holds the fabric's lock now (a live holder only); undefined when it is free. */
  holder(fabric: string): Promise<LockHolder | undefined>;
}

export interface LockHandle {
  holder: LockHolder;
  release(): Promise<void>;
}

export class LockHeldError extends Error {
  readonly code = "locked";
  constructor(
    readonly holder: LockHolder,
    /** Where the lock lives (a file path, a key), for the operator. */
    readonly where: string,
  ) {
    super(
      `another run holds the lock of fabric ${holder.fabric}: run ${holder.runId}, pid ${holder.pid} on ${holder.host}, since ${holder.acquiredAt} (${where}). Wait for it to finish; if that process is gone, the lock is removed automatically`,
    );
    this.name = "LockHeldError";
  }
}

/** The lock could not be used at all (its directory is unwritable, the backend is down). */
export class LockUnavailableError extends Error {
  readonly code = "lock-unavailable";
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LockUnavailableError";
  }
}

/**
 * The journal could not be written (read-only or full state directory, …). A named error with the path
 * and the system's code, so a run can stop changing switches, print what it did, and say what to fix.
 */
export class JournalWriteError extends Error {
  readonly code = "journal-unwritable";
  constructor(
    readonly path: string,
    /** The system's error code (EROFS, ENOSPC, EACCES …). */
    readonly reason: string,
    cause?: unknown,
  ) {
    super(
      `cannot write the journal ${path} (${reason}); the run's record is incomplete. Make the state ` +
        "directory writable and not full (--state-dir, RECONCILER_STATE_DIR), then run again: the next " +
        "apply reads what the switches and the journal say and finishes what this one left",
      { cause },
    );
    this.name = "JournalWriteError";
  }
}

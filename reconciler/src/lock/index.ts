export { fileLocks } from "./file-lock.ts";
export { type Lock, type LockHandle, LockHeldError, type LockHolder, LockUnavailableError } from "./types.ts";

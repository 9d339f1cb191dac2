export { fileLock, type Lock, type LockHandle, LockHeldError, type LockHolder } from "./file-lock.ts";

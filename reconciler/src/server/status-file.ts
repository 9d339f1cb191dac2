import { readFile, rename, writeFile } from "node:fs/promises";
import type { Logger } from "pino";
import type { FabricStatus, SavedFabricStatus } from "../status/index.ts";

/**
 * The status page's picture kept in the state dir, so a restarted service still shows what it knew.
 * A missing or unreadable file starts an empty picture: the next runs rebuild it.
 */
export async function readSavedStatus(file: string, logger: Logger): Promise<SavedFabricStatus | undefined> {
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code !== "ENOENT") logger.warn({ err: error, file }, "cannot read the saved fabric status");
    return undefined;
  });
  if (text === undefined) return undefined;
  try {
    const saved = JSON.parse(text) as SavedFabricStatus;
    if (saved.version === 1 && Array.isArray(saved.switches)) return saved;
  } catch {}
  logger.warn({ file }, "the saved fabric status is not valid JSON of version 1; starting empty");
  return undefined;
}

/** Written beside and renamed, so a crash mid-write never leaves half a file. */
export async function writeSavedStatus(file: string, status: FabricStatus): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, JSON.stringify(status.saved()), { mode: 0o600 });
  await rename(temp, file);
}

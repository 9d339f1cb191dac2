import { mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { FabricHold, Hold } from "./types.ts";

/**
 * The fabric hold as a JSON file in the state dir (`pr-hold.json`), so a restarted service still
 * refuses other PRs' applies while an applied PR is unmerged. Written beside and renamed, so a crash
 * never leaves half a file; an unreadable file is an error, never silently "free".
 */
export function fileHold(file: string): FabricHold {
  const read = async (): Promise<Hold | undefined> => {
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw error;
    }
    let hold: Hold;
    try {
      hold = JSON.parse(text) as Hold;
    } catch (error) {
      throw new Error(`${file} is not JSON (${(error as Error).message}); remove it to release the fabric`);
    }
    if (typeof hold?.pullNumber !== "number" || typeof hold.sha !== "string")
      throw new Error(`${file} does not describe a fabric hold; remove it to release the fabric`);
    return hold;
  };
  return {
    current: read,
    async take(hold) {
      await mkdir(dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify(hold)}\n`, { mode: 0o600 });
      await rename(temp, file);
    },
    async release(pullNumber) {
      const hold = await read();
      if (hold?.pullNumber !== pullNumber) return undefined;
      await unlink(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
      return hold;
    },
  };
}

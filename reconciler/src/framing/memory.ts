/** Detected framings in the fabric's state dir (`framing.json`, mode 0600), replaced atomically. */
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { FramingMemory, FramingRecord } from "./types.ts";

export function fileFramingMemory(path: string): FramingMemory {
  return {
    async read() {
      try {
        const parsed = JSON.parse(await readFile(path, "utf8")) as Record<string, FramingRecord>;
        return typeof parsed === "object" && parsed !== null ? parsed : {};
      } catch {
        // missing or damaged: every switch is probed again, which is always safe
        return {};
      }
    },
    async write(records) {
      await mkdir(dirname(path), { recursive: true, mode: 0o700 });
      const tmp = `${path}.${process.pid}.tmp`;
      await writeFile(tmp, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o600 });
      await rename(tmp, path);
    },
  };
}

/** For runs without a state dir (tests of the core): remembers for the life of the object. */
export function memoryFraming(initial: Record<string, FramingRecord> = {}): FramingMemory {
  let records = { ...initial };
  return {
    read: async () => ({ ...records }),
    write: async (next) => {
      records = { ...next };
    },
  };
}

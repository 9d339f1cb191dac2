import { mkdir, readFile, rename, unlink, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** The one open drift proposal: its PR, its branch, and what it adopts (to tell further drift apart). */
export interface DriftEpisode {
  pullNumber: number;
  branch: string;
  /** Hash of the proposal's edits: new drift changes it, the same drift seen again does not. */
  fingerprint: string;
  devices: string[];
  since: string;
}

export interface EpisodeStore {
  current(): Promise<DriftEpisode | undefined>;
  save(episode: DriftEpisode): Promise<void>;
  clear(): Promise<void>;
}

/** Kept in the state dir (`drift-proposal.json`): a restarted service updates the same PR. */
export function fileEpisodes(file: string): EpisodeStore {
  return {
    async current() {
      try {
        return JSON.parse(await readFile(file, "utf8")) as DriftEpisode;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
        throw error;
      }
    },
    async save(episode) {
      await mkdir(dirname(file), { recursive: true });
      const temp = `${file}.${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify(episode)}\n`, { mode: 0o600 });
      await rename(temp, file);
    },
    async clear() {
      await unlink(file).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== "ENOENT") throw error;
      });
    },
  };
}

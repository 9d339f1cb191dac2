import { constants } from "node:fs";
import { lstat, open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parseLimits } from "./parse-yaml.ts";
import type { FabricFiles, RefusedFile } from "./types.ts";

const yamlFile = /\.ya?ml$/;

/**
 * Reads a desired-state repo's files as bytes (IO; decoding and every check happen in validateFabric):
 * fabric.yaml, groups/*.yaml, devices/*.yaml. A missing directory or file is simply absent from the
 * result, so that validation reports it with a place and a hint. Files are read up to one byte past the
 * size limit, enough for validation to refuse them without loading a huge file.
 *
 * The repo is untrusted data (a PR writes it): a symbolic link, a special file (FIFO, device, socket)
 * or a folder that is a link is never opened but listed in `refused`, so that a link to
 * /proc/self/environ or a key file outside the repo cannot put that file's content into a report.
 * Files are opened with O_NOFOLLOW and checked to be regular files on the open handle, so a link swapped
 * in between the listing and the read is refused too.
 */
export async function readFabricRepo(dir: string): Promise<FabricFiles> {
  const refused: RefusedFile[] = [];
  const [groups, devices] = await Promise.all([
    yamlFiles(dir, "groups", refused),
    yamlFiles(dir, "devices", refused),
  ]);
  const paths = ["fabric.yaml", ...groups, ...devices];
  // In parallel: a repo is a few dozen to a few hundred small files, and each read is several IO round trips.
  const contents = await Promise.all(
    paths.map((path) => readCapped(dir, path, parseLimits.maxFileBytes + 1, refused)),
  );
  const files: FabricFiles["files"] = {};
  paths.forEach((path, index) => {
    const content = contents[index];
    if (content) files[path] = content;
  });
  refused.sort((a, b) => a.file.localeCompare(b.file));
  return refused.length > 0 ? { files, refused } : { files };
}

async function yamlFiles(dir: string, folder: string, refused: RefusedFile[]): Promise<string[]> {
  try {
    const stat = await lstat(join(dir, folder));
    if (!stat.isDirectory()) {
      refused.push({ file: folder, kind: stat.isSymbolicLink() ? "symlink" : "special" });
      return [];
    }
    const entries = await readdir(join(dir, folder), { withFileTypes: true });
    const names: string[] = [];
    for (const entry of entries) {
      if (!yamlFile.test(entry.name)) continue;
      const file = `${folder}/${entry.name}`;
      if (entry.isFile()) names.push(file);
      else if (entry.isSymbolicLink()) refused.push({ file, kind: "symlink" });
      else if (!entry.isDirectory()) refused.push({ file, kind: "special" });
    }
    return names.sort();
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

async function readCapped(
  dir: string,
  file: string,
  limit: number,
  refused: RefusedFile[],
): Promise<Uint8Array | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    // O_NONBLOCK: opening a FIFO must not wait for a writer; it is refused below.
    handle = await open(join(dir, file), constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if (isMissing(error)) return undefined;
    if ((error as NodeJS.ErrnoException).code === "ELOOP") {
      refused.push({ file, kind: "symlink" });
      return undefined;
    }
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) {
      if (!stat.isDirectory()) refused.push({ file, kind: "special" });
      return undefined;
    }
    if (stat.size < limit) return await handle.readFile();
    const buffer = new Uint8Array(limit);
    const { bytesRead } = await handle.read(buffer, 0, limit, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === "ENOENT" || code === "ENOTDIR";
}

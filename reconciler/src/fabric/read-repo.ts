import { open, readdir } from "node:fs/promises";
import { join } from "node:path";
import { parseLimits } from "./parse-yaml.ts";
import type { FabricFiles } from "./types.ts";

const yamlFile = /\.ya?ml$/;

/**
 * Reads a desired-state repo's files as bytes (IO; decoding and every check happen in validateFabric):
 * fabric.yaml, groups/*.yaml, devices/*.yaml. A missing directory or file is simply absent from the
 * result, so that validation reports it with a place and a hint. Files are read up to one byte past the
 * size limit, enough for validation to refuse them without loading a huge file.
 */
export async function readFabricRepo(dir: string): Promise<FabricFiles> {
  const [groups, devices] = await Promise.all([yamlFiles(dir, "groups"), yamlFiles(dir, "devices")]);
  const paths = ["fabric.yaml", ...groups, ...devices];
  // In parallel: a repo is a few dozen to a few hundred small files, and each read is several IO round trips.
  const contents = await Promise.all(
    paths.map((path) => readCapped(join(dir, path), parseLimits.maxFileBytes + 1)),
  );
  const files: FabricFiles["files"] = {};
  paths.forEach((path, index) => {
    const content = contents[index];
    if (content) files[path] = content;
  });
  return { files };
}

async function yamlFiles(dir: string, folder: string): Promise<string[]> {
  try {
    const entries = await readdir(join(dir, folder), { withFileTypes: true });
    return entries
      .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && yamlFile.test(entry.name))
      .map((entry) => `${folder}/${entry.name}`)
      .sort();
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

async function readCapped(path: string, limit: number): Promise<Uint8Array | undefined> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(path, "r");
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size < limit) return await handle.readFile();
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

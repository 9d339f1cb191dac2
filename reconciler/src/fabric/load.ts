import { isAbsolute, resolve } from "node:path";
import { readFabricRepo } from "./read-repo.ts";
import type { Fabric, ValidationResult } from "./types.ts";
import { validateFabric } from "./validate.ts";

/**
 * readFabricRepo + validateFabric. The loaded fabric's file paths (caFile, clientCert) are made absolute
 * against the repo directory, so that adapters can open them from any working directory.
 */
export async function loadFabric(dir: string): Promise<ValidationResult> {
  const result = validateFabric(await readFabricRepo(dir));
  if (!result.ok) return result;
  return { ...result, fabric: withRepoPaths(result.fabric, dir) };
}

function withRepoPaths(fabric: Fabric, dir: string): Fabric {
  const inRepo = (path: string) => (isAbsolute(path) ? path : resolve(dir, path));
  const { caFile, clientCert } = fabric.xmpp;
  const xmpp = {
    ...fabric.xmpp,
    ...(caFile ? { caFile: inRepo(caFile) } : {}),
    ...(clientCert ? { clientCert: { cert: inRepo(clientCert.cert), key: clientCert.key } } : {}),
  };
  return { ...fabric, xmpp };
}

import { createHash } from "node:crypto";
import { isAbsolute, resolve } from "node:path";
import { readFabricRepo } from "./read-repo.ts";
import type { Fabric, FabricFiles, ValidationResult } from "./types.ts";
import { validateFabric } from "./validate.ts";

/** The last repo content validated, by digest: a run loads its revision and the tracked head, often the same. */
let last: { digest: string; result: ValidationResult } | undefined;

/**
 * readFabricRepo + validateFabric. The loaded fabric's file paths (caFile, clientCert) are made absolute
 * against the repo directory, so that adapters can open them from any working directory.
 *
 * A run validates two checkouts — its own revision, and the tracked branch head its connection settings
 * come from (reconcile/trust-boundary.ts) — which are usually the same commit; validating 2,000 devices
 * twice cost seconds (issue 14). validateFabric is pure, so the same bytes give the same result.
 */
export async function loadFabric(dir: string): Promise<ValidationResult> {
  const files = await readFabricRepo(dir);
  const digest = digestOf(files);
  const result = last?.digest === digest ? last.result : validateFabric(files);
  last = { digest, result };
  if (!result.ok) return result;
  return { ...result, fabric: withRepoPaths(result.fabric, dir) };
}

function digestOf({ files, refused }: FabricFiles): string {
  const hash = createHash("sha256");
  for (const path of Object.keys(files).sort()) {
    const content = files[path]!;
    hash.update(`${path}\0${Buffer.byteLength(content)}\0`).update(content);
  }
  hash.update(JSON.stringify(refused ?? []));
  return hash.digest("hex");
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

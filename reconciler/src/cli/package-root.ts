import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The reconciler's install folder (the one holding its package.json, bin/ and fabric-repo-example/).
 * Found by walking up from this module, because the module sits at a different depth in the sources
 * (reconciler/src/cli/) and in the build (dist/chunks/).
 */
export function packageRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(from)}`);
    dir = parent;
  }
  return dir;
}

import { execFileSync } from "node:child_process";

/**
 * Vitest global set-up: tests spawn the built CLI (bin/reconciler.mjs runs dist/), so rebuild it when
 * a source is newer than the build. `npm test` builds first anyway (pretest); this covers focused runs.
 */
export default function buildCli(): void {
  execFileSync(process.execPath, ["bin/build.mjs", "--if-stale"], { stdio: "inherit" });
}

import { execFile } from "node:child_process";
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { simpleGit } from "simple-git";
import { type Lab, type LabOptions, startLab } from "../../../reconciler/sim/lab.ts";
import { stateFor } from "../../../reconciler/src/cli/compose-runner.ts";
import type { CliContext } from "../../../reconciler/src/cli/context.ts";
import { loadFabric, renderIntended } from "../../../reconciler/src/fabric/index.ts";
import type { Fabric } from "../../../reconciler/src/fabric/types.ts";
import type { Journal } from "../../../reconciler/src/journal/index.ts";
import {
  type ConcreteRunner,
  createFabricRunner,
  type RunnerDeps,
} from "../../../reconciler/src/reconcile/index.ts";
import { gitSource } from "../../../reconciler/src/source/index.ts";
import { openFabricTransport } from "../../../reconciler/src/transport/index.ts";
import { TEST_SERVER } from "./xmpp-server.ts";

/**
 * The example fabric in a temp git repo (fabric.yaml edited by the test), a real Prosody, simulated
 * switches, and a runner wired exactly as the CLI wires it.
 */
export interface FabricLab {
  repo: string;
  /** What `--state-dir` takes; the fabric's own state (journal, lock) is `fabricStateDir`. */
  stateDir: string;
  fabricStateDir: string;
  fabric: Fabric;
  lab: Lab;
  journal: Journal;
  intended(device: string): string;
  runner(extra?: Partial<RunnerDeps>): ConcreteRunner;
  /** Every switch back to `running` (default: intended), faults cleared. */
  reset(running?: (device: string, intended: string) => string): Promise<void>;
  /**
   * Runs the built CLI (bin/reconciler.mjs) with `--state-dir`, the lab's XMPP environment and `env`:
   * its exit code and output, whatever the code.
   */
  cli(args: string[], env?: Record<string, string>): Promise<CliResult>;
  /** Commits a change to a file of the desired-state repo. */
  commit(file: string, edit: (text: string) => string, message: string): Promise<string>;
  cleanup(): Promise<void>;
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

const execFileAsync = promisify(execFile);

export interface FabricLabOptions extends Omit<LabOptions, "fabric"> {
  editFabricYaml?: (text: string) => string;
}

export async function startFabricLab(options: FabricLabOptions = {}): Promise<FabricLab> {
  const root = await mkdtemp(join(tmpdir(), "fabric-lab-"));
  const repo = join(root, "fabric");
  const stateDir = join(root, "state");
  await cp("fabric-repo-example", repo, { recursive: true });
  if (options.editFabricYaml) {
    const path = join(repo, "fabric.yaml");
    await writeFile(path, options.editFabricYaml(await readFile(path, "utf8")));
  }
  const git = simpleGit(repo);
  await git.init(["--initial-branch=main", "--quiet"]);
  await git.addConfig("user.email", "test@fabric.invalid").addConfig("user.name", "Test");
  await git.add(".").commit("Import the example fabric");
  const loaded = await loadFabric(repo);
  if (!loaded.ok) throw new Error(`example fabric invalid: ${JSON.stringify(loaded.errors)}`);
  const fabric = loaded.fabric;
  const lab = await startLab({ server: TEST_SERVER, ...options, fabric });
  // The same per-fabric state layout as the CLI, so a CLI run and this runner share journal and lock.
  const state = stateFor(repo, { stateDir }, { env: {}, cwd: root } as CliContext);
  const journal = state.journal;
  const intended = (device: string) => renderIntended(fabric, device).text;

  return {
    repo,
    stateDir,
    fabricStateDir: state.dir,
    fabric,
    lab,
    journal,
    intended,
    runner: (extra) =>
      createFabricRunner({
        source: gitSource({ source: repo, cacheDir: join(stateDir, "cache") }),
        journal,
        lock: state.lock,
        framingMemory: state.framing,
        openChannel: (f, repoDir) => openFabricTransport(f, { env: lab.env, repoDir }),
        ...extra,
      }),
    async reset(running) {
      for (const sw of lab.fleet.switches.values()) {
        await sw.setFaults([]);
        for (const name of [...sw.store.sessions.keys()]) sw.store.abort(name);
        const text = intended(sw.name);
        sw.setRunningConfig(running ? running(sw.name, text) : text);
      }
    },
    async cli(args, env = {}) {
      try {
        const { stdout, stderr } = await execFileAsync(
          "node",
          ["bin/reconciler.mjs", ...args, "--state-dir", stateDir],
          { env: { ...process.env, ...lab.env, NO_COLOR: "1", ...env } },
        );
        return { code: 0, stdout, stderr };
      } catch (error) {
        const e = error as CliResult;
        return { code: e.code, stdout: e.stdout, stderr: e.stderr };
      }
    },
    async commit(file, edit, message) {
      const path = join(repo, file);
      await writeFile(path, edit(await readFile(path, "utf8")));
      await git.add(".").commit(message);
      return (await git.revparse(["HEAD"])).trim();
    },
    async cleanup() {
      await lab.stop().catch(() => {});
      await rm(root, { recursive: true, force: true });
    },
  };
}

/** The leaves run a retired NTP server (one change for the leaf room) and spine1 an edited description. */
export function outdated(device: string, intended: string): string {
  let text = intended;
  if (device.startsWith("leaf"))
    text = text.replace("ntp server 10.250.0.11 iburst", "ntp server 10.250.0.99 iburst");
  if (device === "spine1") text = text.replace(/( {3}description )[^\n]*/, "$1temporary patch");
  return text;
}

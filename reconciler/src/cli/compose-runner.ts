import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import { basename, join, resolve } from "node:path";
import type { Fabric } from "../fabric/types.ts";
import { type FramingMemory, fileFramingMemory } from "../framing/index.ts";
import { fileJournal, type Journal } from "../journal/index.ts";
import { fileLocks, type Lock } from "../lock/index.ts";
import { fileHold } from "../pr-workflow/index.ts";
import {
  type ConcreteRunner,
  createFabricRunner,
  type OpenChannel,
  type RunnerEvent,
} from "../reconcile/index.ts";
import type { Style } from "../report/text.ts";
import { recordedRunningConfigs } from "../rollout/index.ts";
import { gitSource } from "../source/index.ts";
import { openFabricTransport } from "../transport/index.ts";
import type { CliContext } from "./context.ts";
import { type FabricCommandOptions, secretOptions, transportFlags } from "./fabric-options.ts";
import { progressDisplay } from "./progress.ts";

export interface FabricState {
  dir: string;
  journal: Journal;
  lock: Lock;
  /** `cliMode: auto`: each switch's detected framing (`framing.json`). */
  framing: FramingMemory;
  /** The service's fabric hold (`pr-hold.json`): which PR's applied-but-unmerged change holds the fabric. */
  holdFile: string;
}

/**
 * One state directory per fabric repo (journal, clone cache): `<state-dir>/<repo name>-<hash of its
 * location>`. The lock is the fabric's, not the checkout's: `<lock dir>/<fabric name>.lock`, where the
 * lock dir is RECONCILER_LOCK_DIR (a host-wide one, e.g. /run/lock/fabric-reconciler, when several
 * users run the reconciler) or `<state-dir>/locks`, so two checkouts or clones of one fabric still
 * have one writer.
 */
export function stateFor(repo: string, options: { stateDir?: string }, ctx: CliContext): FabricState {
  const root = stateRoot(options, ctx);
  const location = existsSync(repo) ? resolve(ctx.cwd, repo) : repo;
  const name =
    basename(location)
      .replace(/\.git$/, "")
      .replace(/[^A-Za-z0-9_.-]/g, "_") || "fabric";
  const dir = join(root, `${name}-${createHash("sha256").update(location).digest("hex").slice(0, 8)}`);
  const lockDir = ctx.env.RECONCILER_LOCK_DIR || join(root, "locks");
  return {
    dir,
    journal: fileJournal(join(dir, "journal.jsonl")),
    lock: fileLocks(lockDir),
    framing: fileFramingMemory(join(dir, "framing.json")),
    holdFile: join(dir, "pr-hold.json"),
  };
}

/** `--state-dir`, else RECONCILER_STATE_DIR, else `$XDG_STATE_HOME/fabric-reconciler`. */
export function stateRoot(options: { stateDir?: string }, ctx: CliContext): string {
  return (
    options.stateDir ??
    ctx.env.RECONCILER_STATE_DIR ??
    join(ctx.env.XDG_STATE_HOME ?? join(homedir(), ".local", "state"), "fabric-reconciler")
  );
}

/** The composition root of plan/apply/drift: real git, file journal and lock, XMPP transport. */
export function composeRunner(
  repo: string,
  /** `ownsHold`: the caller decides about the fabric hold itself (the service); the CLI is gated by it. */
  options: FabricCommandOptions & { offline?: string; ownsHold?: boolean },
  ctx: CliContext,
  style: Style,
  /** Hears every runner event besides the progress display (the service's live status page). */
  observe?: (event: RunnerEvent) => void,
): { runner: ConcreteRunner; progress: ReturnType<typeof progressDisplay> } {
  const state = stateFor(repo, options, ctx);
  const progress = progressDisplay(ctx.stderr, ctx.isTTY && !options.json, style);
  const runner = createFabricRunner({
    source: gitSource({
      source: existsSync(repo) ? resolve(ctx.cwd, repo) : repo,
      cacheDir: join(state.dir, "repo-cache"),
      branch: options.branch,
    }),
    journal: state.journal,
    lock: state.lock,
    framingMemory: state.framing,
    ...(options.ownsHold ? {} : { hold: fileHold(state.holdFile) }),
    recorded: options.offline ? recordedRunningConfigs(resolve(ctx.cwd, options.offline)) : undefined,
    openChannel: (fabric: Fabric, repoDir: string): Promise<OpenChannel> =>
      openFabricTransport(fabric, {
        repoDir,
        env: ctx.env,
        flags: transportFlags(options),
        ...secretOptions(options, ctx),
        warn: (message) => ctx.stderr(`${style.yellow("warning:")} ${message}\n`),
      }),
    onEvent: observe
      ? (event) => {
          progress.onEvent(event);
          observe(event);
        }
      : progress.onEvent,
  });
  return { runner, progress };
}

import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { readFabricRepo } from "../fabric/index.ts";
import type { FabricFiles } from "../fabric/types.ts";

/** A git failure of the events writer (fetch, commit, push), with git's own words. */
export class RepoWriteError extends Error {
  readonly code = "repo-write-error";
}

export interface TrackedHead {
  sha: string;
  /** Read as every run reads the repo: no links, no special files. */
  files: FabricFiles;
}

/** Writes event changes to the desired-state repo: a branch for a PR, or the tracked branch itself. */
export interface RepoWriter {
  /** The branch every run reads and that `action: apply` commits to. */
  readonly trackedBranch: string;
  /** The tracked branch's head, fetched now. */
  head(): Promise<TrackedHead>;
  /** Whether the repo has this branch (an open or earlier event PR for the same key). */
  hasBranch(branch: string): Promise<boolean>;
  /** Commits `text` as `file` on top of the tracked head and pushes it to `branch`; returns the commit. */
  commit(change: { branch: string; file: string; text: string; message: string }): Promise<string>;
}

export interface RepoWriterOptions {
  /** The desired-state repo: a local path or a git URL, as the service reads it. */
  source: string;
  branch: string;
  /** A clone of its own, in the fabric's state dir. */
  workDir: string;
  author: { name: string; email: string };
}

/**
 * One working clone per service, used one change at a time (the event intake serialises changes).
 * A local non-bare repo takes a push to its checked-out branch only with
 * `receive.denyCurrentBranch updateInstead` (action: apply), as git itself requires.
 */
export function gitRepoWriter(options: RepoWriterOptions): RepoWriter {
  const git = () => simpleGit(options.workDir);
  const failed = (what: string) => (error: unknown) => {
    throw new RepoWriteError(`${what}: ${(error as Error).message.trim()}`);
  };

  async function fetched(): Promise<void> {
    if (!existsSync(join(options.workDir, ".git"))) {
      await mkdir(options.workDir, { recursive: true, mode: 0o700 });
      await simpleGit()
        .clone(options.source, options.workDir, ["--quiet", "--no-checkout"])
        .catch(failed(`cannot clone ${options.source}`));
      await git().addConfig("user.name", options.author.name).addConfig("user.email", options.author.email);
    }
    await git()
      .fetch(["--quiet", "--prune", "origin"])
      .catch(failed(`cannot fetch ${options.source}`));
    await git()
      .raw(["checkout", "--quiet", "--force", "--detach", `origin/${options.branch}`])
      .catch(failed(`cannot check out ${options.branch}`));
  }

  return {
    trackedBranch: options.branch,
    async head() {
      await fetched();
      const sha = (await git().revparse(["HEAD"])).trim();
      const files = await readFabricRepo(options.workDir);
      return { sha, files };
    },
    async hasBranch(branch) {
      const out = await git()
        .raw(["ls-remote", "--heads", "origin", `refs/heads/${branch}`])
        .catch(failed(`cannot list the branches of ${options.source}`));
      return out.trim() !== "";
    },
    async commit(change) {
      await fetched();
      await writeFile(join(options.workDir, change.file), change.text);
      await git().add([change.file]).catch(failed("cannot stage the change"));
      await git().commit(change.message, [change.file]).catch(failed("cannot commit the change"));
      const sha = (await git().revparse(["HEAD"])).trim();
      await git()
        .push(["--quiet", "origin", `HEAD:refs/heads/${change.branch}`])
        .catch(failed(`cannot push ${change.branch} to ${options.source}`));
      return sha;
    },
  };
}

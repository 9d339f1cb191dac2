import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, statSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { simpleGit } from "simple-git";
import type { Revision } from "../plan/types.ts";

/** The desired-state repo checked out at one revision. */
export interface DesiredState {
  dir: string;
  revision: Revision;
  /** Removes a temporary checkout; a no-op for a local working tree. */
  dispose(): Promise<void>;
}

export interface FabricSource {
  /** The desired state at `rev` (sha, branch or tag); without `rev`: a local working tree as is, or the tracked branch. */
  checkout(rev?: string): Promise<DesiredState>;
  /**
   * The trust boundary's source side: the tracked branch's head commit, exported from git objects —
   * never a working tree that differs from it (a PR's branch, uncommitted edits, untracked files). A
   * clean local checkout of that very commit is read in place (the same bytes, without exporting and
   * deleting a copy of every file); a local directory that is no git repo at all is its own trusted
   * state (there is nothing unmerged).
   */
  trusted(): Promise<DesiredState>;
  /** The commit the tracked branch points at now (fetching a remote first). */
  headOf(branch: string): Promise<string>;
  /**
   * Whether commit `sha` is in the history of commit `head` (`git merge-base --is-ancestor`): a merge
   * of a PR contains its head. A commit this repo does not have is not contained.
   */
  contains(head: string, sha: string): Promise<boolean>;
}

export class SourceError extends Error {
  readonly code = "source-error";
}

export interface GitSourceOptions {
  /** Local path or remote URL (https://, ssh, file://). */
  source: string;
  /** Where remote repos are cloned (bare) and kept between runs. */
  cacheDir: string;
  /** The tracked branch: used when no revision is given for a remote, and the trusted state; default main. */
  branch?: string;
}

/**
 * Reads the desired state with real git (simple-git). A revision is exported with `git archive` into
 * a temporary directory, so a user's working tree and index are never touched.
 */
export function gitSource(options: GitSourceOptions): FabricSource {
  const isLocalDir = existsSync(options.source) && statSync(options.source).isDirectory();
  const localPath = isLocalDir ? resolve(options.source) : undefined;
  const describe = localPath ?? options.source;

  async function repoDir(): Promise<string> {
    if (localPath) return localPath;
    const dir = join(
      options.cacheDir,
      createHash("sha256").update(options.source).digest("hex").slice(0, 16),
    );
    try {
      if (!existsSync(join(dir, "HEAD"))) {
        await mkdir(options.cacheDir, { recursive: true });
        await simpleGit().clone(options.source, dir, ["--bare", "--quiet"]);
      }
      await simpleGit(dir).fetch([
        "--quiet",
        "--prune",
        "--force",
        options.source,
        "+refs/heads/*:refs/heads/*",
        "+refs/tags/*:refs/tags/*",
      ]);
    } catch (error) {
      throw new SourceError(
        `cannot fetch ${options.source}: ${(error as Error).message.trim()}. Check the URL and credentials`,
      );
    }
    return dir;
  }

  async function resolveCommit(dir: string, rev: string): Promise<string> {
    const git = simpleGit(dir);
    for (const candidate of [rev, `origin/${rev}`]) {
      try {
        return (await git.revparse([`${candidate}^{commit}`])).trim();
      } catch {
        // try the next spelling
      }
    }
    if (!localPath) {
      // A PR head from a fork is not under refs/heads: fetch the commit itself.
      try {
        await git.fetch(["--quiet", options.source, rev]);
        return (await git.revparse([`${rev}^{commit}`])).trim();
      } catch {
        // fall through to the error
      }
    }
    throw new SourceError(
      `revision ${rev} not found in ${describe}. Give a commit sha, branch or tag that exists there`,
    );
  }

  return {
    async checkout(rev) {
      if (localPath && rev === undefined) return workingTree(localPath);
      const dir = await repoDir();
      const sha = await resolveCommit(dir, rev ?? options.branch ?? "HEAD");
      const target = await mkdtemp(join(tmpdir(), "fabric-rev-"));
      await exportCommit(dir, sha, target);
      return {
        dir: target,
        revision: { sha, ref: rev ?? options.branch, source: describe },
        dispose: () => rm(target, { recursive: true, force: true }),
      };
    },
    async trusted() {
      if (
        localPath &&
        !(await simpleGit(localPath)
          .checkIsRepo()
          .catch(() => false))
      )
        return workingTree(localPath);
      const dir = await repoDir();
      const branch = options.branch ?? "main";
      let sha: string;
      try {
        sha = await resolveCommit(dir, branch);
      } catch {
        throw new SourceError(
          `the tracked branch ${branch} is not in ${describe}; connection settings come only from its head. Fetch it (git fetch origin ${branch}, or actions/checkout with fetch-depth: 0) or name it with --branch`,
        );
      }
      const revision = { sha, ref: branch, source: describe };
      if (localPath && (await isCleanCheckoutOf(localPath, sha)))
        return { dir: localPath, revision, dispose: async () => {} };
      const target = await mkdtemp(join(tmpdir(), "fabric-trusted-"));
      await exportCommit(dir, sha, target);
      return { dir: target, revision, dispose: () => rm(target, { recursive: true, force: true }) };
    },
    async headOf(branch) {
      const dir = await repoDir();
      return resolveCommit(dir, branch);
    },
    async contains(head, sha) {
      return isAncestor(await repoDir(), sha, head);
    },
  };
}

/** `git merge-base --is-ancestor`: exit 0 yes, 1 no; anything else (an unknown commit) is "no" too. */
function isAncestor(repo: string, ancestor: string, head: string): Promise<boolean> {
  return new Promise((resolvePromise, reject) => {
    const git = spawn("git", ["-C", repo, "merge-base", "--is-ancestor", ancestor, head], {
      stdio: "ignore",
    });
    git.on("close", (code) => resolvePromise(code === 0));
    git.on("error", reject);
  });
}

/** HEAD is `sha` and nothing differs from it: no edit, nothing staged, no untracked file. */
async function isCleanCheckoutOf(path: string, sha: string): Promise<boolean> {
  const git = simpleGit(path);
  try {
    if ((await git.revparse(["HEAD"])).trim() !== sha) return false;
    return (await git.status()).isClean();
  } catch {
    return false;
  }
}

async function workingTree(path: string): Promise<DesiredState> {
  const git = simpleGit(path);
  let revision: Revision = { sha: "worktree", source: path };
  if (await git.checkIsRepo().catch(() => false)) {
    try {
      const sha = (await git.revparse(["HEAD"])).trim();
      const status = await git.status();
      revision = {
        sha: status.isClean() ? sha : `${sha}-dirty`,
        ref: status.current ?? undefined,
        source: path,
      };
    } catch {
      // a repo without commits yet: keep "worktree"
    }
  }
  return { dir: path, revision, dispose: async () => {} };
}

function exportCommit(repo: string, sha: string, target: string): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const archive = spawn("git", ["-C", repo, "archive", "--format=tar", sha], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    // git's output goes straight into tar (the pipe is handed to tar, not read here): the export goes
    // on while this process validates a fabric, which holds its event loop for a second at 2,000 switches.
    const untar = spawn("tar", ["-x", "-C", target], { stdio: [archive.stdout, "ignore", "pipe"] });
    archive.stdout.destroy(); // tar has its own copy of the pipe; this process must not read from it
    let stderr = "";
    archive.stderr.on("data", (d) => (stderr += d));
    untar.stderr.on("data", (d) => (stderr += d));
    untar.on("close", (code) =>
      code === 0
        ? resolvePromise()
        : reject(new SourceError(`cannot export ${sha} from ${repo}: ${stderr.trim()}`)),
    );
    archive.on("error", reject);
    untar.on("error", reject);
  });
}

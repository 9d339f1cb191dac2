import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { simpleGit } from "simple-git";

/** Where a drift proposal's commit goes: a branch of the desired-state repo. */
export interface ProposalBranch {
  /** Commits `edits` on top of `base` as `branch` (replacing what it held) and pushes it; the commit's sha. */
  push(base: string, branch: string, edits: Record<string, string>, message: string): Promise<string>;
}

/**
 * Real git: a throw-away clone of the repo (a URL the service can push to, or a local path), one
 * commit by the reconciler, and a forced push of that one branch — never of the tracked branch.
 */
export function gitProposalBranch(
  source: string,
  author = { name: "fabric-reconciler", email: "reconciler@fabric.invalid" },
): ProposalBranch {
  return {
    async push(base, branch, edits, message) {
      if (!/^reconciler\/drift-[A-Za-z0-9._-]+$/.test(branch))
        throw new Error(`refusing to push ${branch}: drift proposals go to reconciler/drift-* branches only`);
      const dir = await mkdtemp(join(tmpdir(), "drift-proposal-"));
      try {
        await simpleGit().clone(source, dir, ["--no-checkout", "--quiet"]);
        const git = simpleGit(dir);
        await git.checkout(["-B", branch, base]);
        for (const [path, text] of Object.entries(edits)) {
          await mkdir(dirname(join(dir, path)), { recursive: true });
          await writeFile(join(dir, path), text);
        }
        await git.add(Object.keys(edits));
        await git.addConfig("user.name", author.name).addConfig("user.email", author.email).commit(message);
        await git.push(["--force", "origin", `${branch}:refs/heads/${branch}`]);
        return (await git.revparse(["HEAD"])).trim();
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

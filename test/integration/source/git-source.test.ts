import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gitSource } from "../../../reconciler/src/source/index.ts";

let root: string;
let repo: string;
let first: string;
let second: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "git-source-"));
  repo = join(root, "fabric");
  const git = simpleGit();
  await git.init([repo, "--initial-branch=main", "--quiet"]);
  const r = simpleGit(repo).addConfig("user.email", "t@example.com").addConfig("user.name", "Test");
  await writeFile(join(repo, "fabric.yaml"), "name: one\n");
  await r.add(".").commit("first");
  first = (await r.revparse(["HEAD"])).trim();
  await writeFile(join(repo, "fabric.yaml"), "name: two\n");
  await r.add(".").commit("second");
  second = (await r.revparse(["HEAD"])).trim();
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe("git source", () => {
  it("reads a local working tree as is, with its HEAD as the revision", async () => {
    const state = await gitSource({ source: repo, cacheDir: join(root, "cache") }).checkout();
    expect(state.dir).toBe(repo);
    expect(state.revision).toEqual({ sha: second, ref: "main", source: repo });
  });

  it("marks an uncommitted working tree as dirty", async () => {
    await writeFile(join(repo, "extra.yaml"), "x: 1\n");
    const state = await gitSource({ source: repo, cacheDir: join(root, "cache") }).checkout();
    expect(state.revision.sha).toBe(`${second}-dirty`);
    await rm(join(repo, "extra.yaml"));
  });

  it("exports an older revision into a temporary directory without touching the working tree", async () => {
    const state = await gitSource({ source: repo, cacheDir: join(root, "cache") }).checkout(first);
    expect(await readFile(join(state.dir, "fabric.yaml"), "utf8")).toBe("name: one\n");
    expect(await readFile(join(repo, "fabric.yaml"), "utf8")).toBe("name: two\n");
    expect(state.revision.sha).toBe(first);
    await state.dispose();
  });

  it("clones a remote URL into the cache and follows its branch", async () => {
    const source = gitSource({ source: `file://${repo}`, cacheDir: join(root, "cache"), branch: "main" });
    const state = await source.checkout();
    expect(state.revision.sha).toBe(second);
    expect(await source.headOf("main")).toBe(second);
    await state.dispose();
  });

  it("tells whether a commit is in a head's history, also in a remote's clone", async () => {
    for (const source of [repo, `file://${repo}`]) {
      const git = gitSource({ source, cacheDir: join(root, "cache"), branch: "main" });
      expect(await git.contains(second, first)).toBe(true);
      expect(await git.contains(first, second)).toBe(false);
      expect(await git.contains(second, "0".repeat(40))).toBe(false);
    }
  });

  it("reads the tracked head in place from a clean checkout of it, and exports it from git otherwise", async () => {
    const source = gitSource({ source: repo, cacheDir: join(root, "cache"), branch: "main" });
    const inPlace = await source.trusted();
    expect(inPlace.dir).toBe(repo);
    expect(inPlace.revision).toEqual({ sha: second, ref: "main", source: repo });

    // Anything the commit does not hold sends it back to git's own objects: an edit, an untracked file,
    // another branch checked out.
    const r = simpleGit(repo);
    const differing: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
      [
        "an edit",
        () => writeFile(join(repo, "fabric.yaml"), "name: pr\n"),
        () => r.checkout(["--", "fabric.yaml"]),
      ],
      [
        "an untracked file",
        () => writeFile(join(repo, "extra.yaml"), "x: 1\n"),
        () => rm(join(repo, "extra.yaml")),
      ],
      [
        "another branch",
        () => r.checkout(["--quiet", "-b", "pr", first]),
        () => r.checkout(["--quiet", "main"]),
      ],
    ];
    for (const [what, make, undo] of differing) {
      await make();
      const exported = await source.trusted();
      expect(exported.dir, what).not.toBe(repo);
      expect(await readFile(join(exported.dir, "fabric.yaml"), "utf8"), what).toBe("name: two\n");
      expect(exported.revision.sha, what).toBe(second);
      await exported.dispose();
      await undo();
    }
    await r.deleteLocalBranch("pr", true);
  });

  it("names the revision and the repo when a revision does not exist", async () => {
    await expect(
      gitSource({ source: repo, cacheDir: join(root, "cache") }).checkout("no-such-branch"),
    ).rejects.toThrow(/revision no-such-branch not found in .*fabric/);
  });
});

/**
 * The trust boundary's own checks, on a real git repo: the connection settings come from the tracked
 * branch head's export (never the working tree), and a CA path there that is a link or climbs out of
 * the repo is refused by name, before anything would read it.
 */
import { cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFabric } from "../../../reconciler/src/fabric/index.ts";
import { trustedSettings } from "../../../reconciler/src/reconcile/trust-boundary.ts";
import { gitSource } from "../../../reconciler/src/source/index.ts";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "trusted-settings-"));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The example fabric as a git repo on main; `prepare` edits the files before the commit. */
async function repoWith(name: string, prepare: (dir: string) => Promise<void>): Promise<string> {
  const dir = join(root, name);
  await cp("fabric-repo-example", dir, { recursive: true });
  await mkdir(join(dir, "pki"), { recursive: true });
  await prepare(dir);
  const git = simpleGit(dir);
  await git.init(["--initial-branch=main", "--quiet"]);
  await git.addConfig("user.email", "t@fabric.invalid").addConfig("user.name", "T");
  await git.add(["-A", "."]).commit("main");
  return dir;
}

async function settingsOf(dir: string) {
  const source = gitSource({ source: dir, cacheDir: join(root, "cache"), branch: "main" });
  const desired = await source.checkout();
  const loaded = await loadFabric(desired.dir);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return trustedSettings(source, desired, loaded.fabric);
}

describe("the trusted connection settings", () => {
  it("are the run's own settings, not read again, when the run is of the clean checkout of the head", async () => {
    const dir = await repoWith("in-place", (d) =>
      writeFile(join(d, "pki", "securitydemo-ca.pem"), "committed CA\n"),
    );
    const source = gitSource({ source: dir, cacheDir: join(root, "cache"), branch: "main" });
    const desired = await source.checkout();
    const loaded = await loadFabric(desired.dir);
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
    const trusted = await trustedSettings(source, desired, loaded.fabric);
    if (!("xmpp" in trusted)) throw new Error(trusted.message);
    try {
      expect(trusted.dir).toBe(desired.dir);
      expect(trusted.xmpp).toBe(loaded.fabric.xmpp); // the loaded object itself: no second load
      expect(trusted.changes).toEqual([]);
    } finally {
      await trusted.dispose();
    }
  });

  it("come from the export of the branch head even when the working tree is that head", async () => {
    const dir = await repoWith("clean", (d) =>
      writeFile(join(d, "pki", "securitydemo-ca.pem"), "committed CA\n"),
    );
    // An uncommitted edit of the CA in the working tree is not what the reconciler trusts.
    await writeFile(join(dir, "pki", "securitydemo-ca.pem"), "edited in the working tree\n");
    const trusted = await settingsOf(dir);
    if (!("xmpp" in trusted)) throw new Error(trusted.message);
    try {
      expect(trusted.dir).not.toBe(dir);
      expect(trusted.xmpp.caFile).toBe(join(trusted.dir, "pki", "securitydemo-ca.pem"));
      expect(await readFile(trusted.xmpp.caFile!, "utf8")).toBe("committed CA\n");
      expect(trusted.changes).toEqual(["xmpp.caFile (content)"]);
    } finally {
      await trusted.dispose();
    }
  });

  it("refuse a CA file that is a link out of the repo, naming it", async () => {
    const dir = await repoWith("linked-ca", async (d) => {
      await symlink("/etc/passwd", join(d, "pki", "securitydemo-ca.pem"));
    });
    const trusted = await settingsOf(dir);
    expect("xmpp" in trusted).toBe(false);
    if ("xmpp" in trusted) return;
    expect(trusted.message).toContain("xmpp.caFile pki/securitydemo-ca.pem is a symbolic link");
    expect(trusted.message).not.toContain("root:");
  });

  it("refuse a CA reached through a linked folder", async () => {
    await writeFile(join(root, "outside-ca.pem"), "a CA elsewhere\n");
    const folder = await repoWith("linked-folder", async (d) => {
      await rm(join(d, "pki"), { recursive: true });
      await symlink(root, join(d, "pki"));
      const path = join(d, "fabric.yaml");
      await writeFile(
        path,
        (await readFile(path, "utf8")).replace("pki/securitydemo-ca.pem", "pki/outside-ca.pem"),
      );
    });
    const trusted = await settingsOf(folder);
    expect("xmpp" in trusted ? "accepted" : trusted.message).toContain(
      "xmpp.caFile pki/outside-ca.pem is reached through a link out of the repo",
    );
  });
});

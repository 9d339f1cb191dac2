/** The repo reader against a real file system: links and special files are refused by name, never read. */
import { execFileSync } from "node:child_process";
import { cp, mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadFabric } from "../../../reconciler/src/fabric/index.ts";

const SECRET_VALUE = "hunter2-secret-value-that-must-not-leak";
let root: string;
let outside: string;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "repo-links-"));
  outside = join(root, "outside-secret.yaml");
  await writeFile(outside, `groups: [leaf]\nxmpp:\n  jid: "${SECRET_VALUE}"\n`);
});
afterAll(() => rm(root, { recursive: true, force: true }));

async function exampleRepo(name: string): Promise<string> {
  const repo = join(root, name);
  await cp("fabric-repo-example", repo, { recursive: true });
  return repo;
}

function errorsOf(result: Awaited<ReturnType<typeof loadFabric>>) {
  expect(result.ok).toBe(false);
  return result.ok ? [] : result.errors;
}

describe("reading a desired-state repo with links", () => {
  it("refuses a device file that is a symlink to a file outside the repo, naming it, without its content", async () => {
    const repo = await exampleRepo("device-link");
    await symlink(outside, join(repo, "devices", "evil.yaml"));
    const errors = errorsOf(await loadFabric(repo));
    const refused = errors.find((e) => e.code === "symlink");
    expect(refused?.position).toEqual({ file: "devices/evil.yaml", line: 1, col: 1 });
    expect(refused?.message).toContain("devices/evil.yaml is a symbolic link");
    expect(JSON.stringify(errors)).not.toContain(SECRET_VALUE);
  });

  it("refuses a link to /proc/self/environ without printing the environment", async () => {
    const repo = await exampleRepo("environ-link");
    process.env.REPO_LINKS_TEST_SECRET = SECRET_VALUE;
    try {
      await symlink("/proc/self/environ", join(repo, "devices", "env.yaml"));
      const errors = errorsOf(await loadFabric(repo));
      expect(errors.map((e) => `${e.position.file} ${e.code}`)).toEqual(["devices/env.yaml symlink"]);
      expect(JSON.stringify(errors)).not.toContain(SECRET_VALUE);
    } finally {
      delete process.env.REPO_LINKS_TEST_SECRET;
    }
  });

  it("refuses fabric.yaml as a link (and does not also call it missing)", async () => {
    const repo = await exampleRepo("fabric-link");
    await rm(join(repo, "fabric.yaml"));
    await symlink(join(process.cwd(), "fabric-repo-example", "fabric.yaml"), join(repo, "fabric.yaml"));
    const errors = errorsOf(await loadFabric(repo));
    expect(errors.map((e) => `${e.position.file} ${e.code}`)).toEqual(["fabric.yaml symlink"]);
  });

  it("refuses a groups folder that is a link to a folder outside the repo", async () => {
    const repo = await exampleRepo("folder-link");
    const elsewhere = join(root, "elsewhere-groups");
    await cp(join(repo, "groups"), elsewhere, { recursive: true });
    await rm(join(repo, "groups"), { recursive: true });
    await symlink(elsewhere, join(repo, "groups"));
    const errors = errorsOf(await loadFabric(repo));
    expect(errors.find((e) => e.code === "symlink")?.position.file).toBe("groups");
  });

  it("refuses a FIFO without blocking on it", async () => {
    const repo = await exampleRepo("fifo");
    execFileSync("mkfifo", [join(repo, "devices", "pipe.yaml")]);
    const errors = errorsOf(await loadFabric(repo));
    expect(errors.map((e) => `${e.position.file} ${e.code}`)).toEqual(["devices/pipe.yaml special-file"]);
  });

  it("still reads the example repo, which has no links", async () => {
    const repo = await exampleRepo("plain");
    await mkdir(join(repo, "devices", "notes.d"));
    expect((await loadFabric(repo)).ok).toBe(true);
  });
});

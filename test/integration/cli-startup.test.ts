import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const recorder = join(root, "test/integration/support/record-loads.mjs");
let work: string | undefined;
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

/**
 * Runs the built CLI and returns its exit code and the npm packages it loaded: from node_modules, or
 * bundled into a chunk of dist/ it loaded (the chunk's source map names them).
 */
async function packagesLoadedBy(args: string[]): Promise<{ code: number; packages: Set<string> }> {
  work ??= await mkdtemp(join(tmpdir(), "cli-startup-"));
  const file = join(work, `${args.join("-").replace(/\W+/g, "_")}.txt`);
  const code = await new Promise<number>((resolve) => {
    execFile(
      process.execPath,
      ["--import", recorder, join(root, "bin/reconciler.mjs"), ...args],
      { cwd: root, env: { ...process.env, RECORD_LOADS_TO: file, NO_COLOR: "1" } },
      (error) => resolve(error ? Number(error.code ?? 1) : 0),
    );
  });
  const packages = new Set<string>();
  const add = (path: string) => {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path);
    if (m?.[1]) packages.add(m[1]);
  };
  for (const line of (await readFile(file, "utf8")).split("\n")) {
    add(line);
    // a file of the built CLI lists the sources bundled into it beside it
    const path = line.startsWith("file:") ? fileURLToPath(line) : line;
    if (!path.startsWith(`${join(root, "dist")}/`)) continue;
    const map = JSON.parse(await readFile(`${path}.map`, "utf8")) as { sources: string[] };
    for (const source of map.sources) add(source);
  }
  return { code, packages };
}

// What only connecting, serving or simulating commands need: never loaded by the offline ones.
const heavy = [
  "@xmpp/client",
  "octokit",
  "@octokit/webhooks",
  "simple-git",
  "pino",
  "prom-client",
  "node-cron",
];

describe("the built CLI loads only what a command needs", () => {
  it.each([
    [["--help"]],
    [["validate", "fabric-repo-example"]],
    [["render", "fabric-repo-example", "--device", "leaf1"]],
    [
      [
        "diff",
        "--running",
        "test/fixtures/eos/leaf1-running.cfg",
        "--intended",
        "test/fixtures/eos/leaf1-intended.cfg",
      ],
    ],
  ])("reconciler %j loads no XMPP, GitHub, git, server or browser package", async (args) => {
    const { code, packages } = await packagesLoadedBy(args);
    expect([0, 2]).toContain(code);
    for (const name of heavy) expect(packages).not.toContain(name);
    expect([...packages].filter((p) => p.startsWith("@xmpp/") || p.startsWith("@octokit/"))).toEqual([]);
    expect(packages).not.toContain("playwright-core");
  });

  it("loads the XMPP client once a command connects (the recorder sees lazily loaded modules)", async () => {
    // exec fails to connect (nothing listens on port 1), but only after loading the transport.
    const { code, packages } = await packagesLoadedBy([
      "exec",
      "leaf1",
      "show version",
      "--repo",
      "fabric-repo-example",
      "--xmpp-host",
      "127.0.0.1",
      "--xmpp-port",
      "1",
    ]);
    expect(code).toBe(5);
    expect(packages).toContain("@xmpp/client");
  });
});

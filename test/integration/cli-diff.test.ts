import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = join(root, "bin/reconciler.mjs");
const fixtures = join(root, "test/fixtures/eos");
const running = join(fixtures, "leaf1-running.cfg");
const intended = join(fixtures, "leaf1-intended.cfg");
let temp: string;

beforeAll(async () => {
  temp = await mkdtemp(join(tmpdir(), "reconciler-diff-"));
});
afterAll(async () => {
  await rm(temp, { recursive: true, force: true });
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function reconciler(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd: root, env: { ...process.env, NO_COLOR: "1" } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

describe("reconciler diff", () => {
  it("prints the remediation as an indented EOS script and exits 2", async () => {
    const run = await reconciler([
      "diff",
      "--running",
      running,
      "--intended",
      intended,
      "--scope",
      "vlan",
      "interface",
    ]);
    expect(run).toEqual({
      code: 2,
      stderr: "",
      stdout: [
        "vlan 10",
        "   name NEW",
        "   exit",
        "vlan 30",
        "   exit",
        "interface Ethernet1",
        "   description new",
        "   switchport access vlan 30",
        "   exit",
        "interface Ethernet2",
        "   no shutdown",
        "   exit",
        "no interface Port-Channel10",
        "no vlan 20",
        "",
      ].join("\n"),
    });
  });

  it("prints JSON with --json, secrets redacted", async () => {
    const run = await reconciler([
      "diff",
      "--running",
      running,
      "--intended",
      intended,
      "--scope",
      "management xmpp",
      "--json",
    ]);
    expect(run.code).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({
      commands: [
        "management xmpp",
        "   server 10.1.1.2",
        "   password 7 <redacted>",
        "   switch-group new@groups.lab",
        "   no switch-group old@groups.lab",
        "   exit",
      ],
    });
  });

  it("exits 0 with nothing to do, and prints an empty list with --json", async () => {
    const plain = await reconciler(["diff", "--running", running, "--intended", running]);
    expect(plain).toEqual({ code: 0, stdout: "", stderr: "" });
    const json = await reconciler(["diff", "--running", running, "--intended", running, "--json"]);
    expect(json).toEqual({ code: 0, stdout: '{"commands":[]}\n', stderr: "" });
  });

  it("exits 1 naming the file and line of a config it cannot parse", async () => {
    const orphan = join(fixtures, "orphan-child.cfg");
    const run = await reconciler(["diff", "--running", orphan, "--intended", intended]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      `reconciler diff: ${orphan}:3: "description no parent" is indented but has no parent line above it\n`,
    );
  });

  it("exits 1 for a binary file and for a missing file", async () => {
    const binary = join(temp, "binary.cfg");
    await writeFile(binary, Buffer.from([0x68, 0x0a, 0x00, 0xff, 0xfe, 0x01]));
    const bad = await reconciler(["diff", "--running", running, "--intended", binary]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`${binary}:2: not config text`);
    const missing = await reconciler(["diff", "--running", join(temp, "nope.cfg"), "--intended", intended]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot read");
    expect(missing.stderr).toContain("nope.cfg: ENOENT");
  });
});

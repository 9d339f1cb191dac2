// biome-ignore-all lint/suspicious/noTemplateCurlyInString: fabric config uses ${name} variables, not JS templates.
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { minimalFiles } from "../fixtures/fabric/minimal.ts";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const bin = join(root, "bin/reconciler.mjs");
const example = join(root, "fabric-repo-example");
const temps: string[] = [];
afterAll(async () => {
  await Promise.all(temps.map((dir) => rm(dir, { recursive: true, force: true })));
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function reconciler(args: string[], cwd = root): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env: { ...process.env, NO_COLOR: "1" } },
      (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      },
    );
  });
}

/** A temp repo: the minimal fixture with `changes` (undefined removes a file). */
async function repo(
  changes: Record<string, string | Uint8Array | undefined> = {},
  base = minimalFiles,
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "fabric-cli-"));
  temps.push(dir);
  const files: Record<string, string | Uint8Array | undefined> = { ...base, ...changes };
  for (const [path, content] of Object.entries(files)) {
    if (content === undefined) continue;
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

const fabricYaml = minimalFiles["fabric.yaml"]!;
const leaf2 = "groups: [leaf]\nvars:\n  asn: 65102\n  loopback0: 10.255.1.2\n";

describe("reconciler validate", () => {
  it("accepts the example repo", async () => {
    const run = await reconciler(["validate", "fabric-repo-example"]);
    expect(run).toEqual({
      code: 0,
      stdout: "fabric securitydemo is valid: 6 devices, 4 groups, 0 warnings\n",
      stderr: "",
    });
  });

  it("validates the current directory by default", async () => {
    const run = await reconciler(["validate"], example);
    expect(run.code).toBe(0);
  });

  it.concurrent.each([
    {
      name: "a YAML syntax error",
      changes: { "devices/leaf2.yaml": "groups: [leaf\nvars: {}\n" },
      expected: "devices/leaf2.yaml:2:1: error[yaml-syntax]: YAML syntax error: ",
    },
    {
      name: "a duplicate key",
      changes: { "devices/leaf2.yaml": `${leaf2}groups: [row1]\n` },
      expected:
        'devices/leaf2.yaml:5:1: error[duplicate-key]: duplicate key "groups" (first at line 1)\n  hint: YAML keeps only one value per key',
    },
    {
      name: "a wrong type",
      changes: { "fabric.yaml": fabricYaml.replace("  host: 127.0.0.1", "  host: 127.0.0.1\n  port: five") },
      expected:
        'fabric.yaml:4:9: error[schema]: xmpp.port must be an integer, not string "five"\n  hint: xmpp.port: TCP port',
    },
    {
      name: "an unknown field, with the schema path",
      changes: { "devices/leaf2.yaml": `${leaf2}hostnmae: x\n` },
      expected:
        'devices/leaf2.yaml:5:1: error[schema]: unknown field "hostnmae"\n  hint: Did you mean "hostname"? Allowed here: hostname, description, groups, vars, config, remove, xmpp, managementAddress, events.\n  schema: schemas/device.schema.json#/additionalProperties',
    },
    {
      name: "a device in an unknown group",
      changes: { "devices/leaf2.yaml": leaf2.replace("[leaf]", "[leaf, rwo1]") },
      expected:
        'devices/leaf2.yaml:1:16: error[unknown-group]: device leaf2 is in group "rwo1", which has no file groups/rwo1.yaml\n  hint: Did you mean "row1"?',
    },
    {
      name: "two devices with one hostname",
      changes: { "devices/leaf2.yaml": `${leaf2}hostname: leaf1\n` },
      expected:
        "devices/leaf2.yaml:5:11: error[duplicate-hostname]: hostname leaf1 is also the hostname of leaf1",
    },
    {
      name: "two devices with one JID",
      changes: { "devices/leaf2.yaml": `${leaf2}xmpp:\n  user: leaf1\n` },
      expected:
        "devices/leaf2.yaml:6:9: error[duplicate-jid]: XMPP account leaf1@securitydemo.lab is also the account of leaf1",
    },
    {
      name: "an unknown variable",
      changes: { "devices/leaf2.yaml": leaf2.replace("  asn: 65102\n", "") },
      expected:
        'groups/leaf.yaml:5:14: error[unknown-variable]: unknown variable ${asn} for leaf2\n  hint: Define "asn" under vars:',
    },
    {
      name: "an inline password in YAML",
      changes: { "devices/leaf2.yaml": `${leaf2}xmpp:\n  password: Stefan2020\n` },
      expected:
        "devices/leaf2.yaml:6:13: error[inline-secret]: xmpp.password holds a secret value in git\n  hint: Keep secrets out of git: write password: env:LEAF2_XMPP_PASSWORD",
    },
    {
      name: "an encrypted password in a config line",
      changes: { "groups/row1.yaml": "config: |\n  management xmpp\n     password 7 0A1B2C\n" },
      expected:
        'groups/row1.yaml:3:6: error[inline-secret]: config line "password 7 …" sets a password in git',
    },
    {
      name: "a newline inside a CLI line",
      changes: { "groups/row1.yaml": 'config:\n  - "vlan 10\\nreload"\n' },
      expected:
        "groups/row1.yaml:2:13: error[control-character]: CLI line contains a newline (\\n) at character 8\n  hint: Write one command per line",
    },
    {
      name: "a denied command",
      changes: { "groups/row1.yaml": "config: |\n  write erase\n" },
      expected:
        'groups/row1.yaml:2:3: error[denied-command]: denied command "write erase": it erases the startup config',
    },
    {
      name: "config that would remove the switch's XMPP reachability",
      changes: { "groups/row1.yaml": "config: |\n  management xmpp\n     shutdown\n" },
      expected:
        'groups/row1.yaml:3:6: error[xmpp-lockout]: "shutdown" under management xmpp would disconnect the switch (for leaf1)',
    },
    {
      name: "an alias bomb",
      changes: {
        "groups/row1.yaml": `a: &a [x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c]\n`,
      },
      expected:
        "groups/row1.yaml:3:24: error[too-many-aliases]: more than 10 YAML aliases in one file (this is alias *b)",
    },
    {
      name: "a file that is not UTF-8",
      changes: {
        "groups/row1.yaml": Uint8Array.from([...Buffer.from("description: Z\xfcrich row\n", "latin1")]),
      },
      expected:
        "groups/row1.yaml:1:15: error[not-utf8]: groups/row1.yaml is not UTF-8 (byte 0xFC)\n  hint: Save the file as UTF-8",
    },
  ])("refuses $name with its place, what is wrong and how to fix it", async ({ changes, expected }) => {
    const run = await reconciler(["validate", await repo(changes)]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(expected);
    expect(run.stdout).toMatch(/fabric is invalid: \d+ errors?, \d+ warnings?\n$/);
  });

  it("refuses an empty repo", async () => {
    const dir = await mkdtemp(join(tmpdir(), "fabric-empty-"));
    temps.push(dir);
    const run = await reconciler(["validate", dir]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe(
      "fabric.yaml:1:1: error[missing-fabric-file]: no fabric.yaml: this is not a fabric repo (or an empty one)\n" +
        "  hint: Run in the desired-state repo's root or pass its path (reconciler validate PATH); a repo needs fabric.yaml, groups/*.yaml and devices/*.yaml (see fabric-repo-example/).\n" +
        "fabric is invalid: 1 error, 0 warnings\n",
    );
  });

  it("refuses a path that is not a directory", async () => {
    const run = await reconciler(["validate", "no/such/repo"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(".:1:1: error[repo-not-found]: no/such/repo is not a directory");
  });

  it("reports several errors in one run", async () => {
    const dir = await repo({
      "groups/row1.yaml": "config: |\n  reload\n  snmp-server community public ro\n",
      "devices/leaf2.yaml": `${leaf2.replace("[leaf]", "[leaf, nope]")}hostname: leaf1\n`,
    });
    const run = await reconciler(["validate", dir]);
    expect(run.code).toBe(1);
    const places = [...run.stdout.matchAll(/^(\S+:\d+:\d+): error\[([a-z-]+)\]/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    );
    expect(places).toEqual([
      "devices/leaf2.yaml:1:16 unknown-group",
      "devices/leaf2.yaml:5:11 duplicate-hostname",
      "groups/row1.yaml:2:3 denied-command",
      "groups/row1.yaml:3:3 inline-secret",
    ]);
    expect(run.stdout).toContain("fabric is invalid: 4 errors, 0 warnings");
  });

  it("prints JSON with --json", async () => {
    const run = await reconciler([
      "validate",
      await repo({ "devices/leaf2.yaml": `${leaf2}hostname: leaf1\n` }),
      "--json",
    ]);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({
      ok: false,
      errors: [
        {
          code: "duplicate-hostname",
          message: "hostname leaf1 is also the hostname of leaf1",
          hint: "Give every switch its own hostname: (it defaults to the file name).",
          file: "devices/leaf2.yaml",
          line: 5,
          col: 11,
        },
      ],
      warnings: [],
    });
  });

  it("prints JSON for a valid repo", async () => {
    const run = await reconciler(["validate", "fabric-repo-example", "--format", "json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({
      ok: true,
      errors: [],
      warnings: [],
      fabric: { name: "securitydemo", groups: ["dc1-row1", "dc1-row2", "leaf", "spine"] },
    });
  });

  it("prints GitHub workflow commands, with paths under --path-prefix", async () => {
    const dir = await repo({ "groups/row1.yaml": "config: |\n  reload\n" });
    const run = await reconciler(["validate", dir, "--format", "github", "--path-prefix", "fabric"]);
    expect(run.code).toBe(1);
    expect(run.stdout.split("\n")[0]).toBe(
      "::error file=fabric/groups/row1.yaml,line=2,col=3,title=fabric error%3A denied-command::" +
        'denied command "reload": it reboots the switch%0Ahint: Remove the line. Desired config describes state; the reconciler never sends this command (safety policy, DESIGN §6).',
    );
  });
});

describe("reconciler render", () => {
  it("prints leaf1's full intended config, including management xmpp with its switch groups", async () => {
    const run = await reconciler(["render", "fabric-repo-example", "--device", "leaf1"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    const expected = await readFile(join(root, "test/fixtures/fabric/leaf1.intended.cfg"), "utf8");
    expect(run.stdout).toBe(expected);
    expect(run.stdout).toContain(
      "management xmpp\n   no shutdown\n   server 172.17.3.253\n   username leaf1@securitydemo.lab\n   domain securitydemo.lab\n   session privilege 15\n   switch-group leaf@groups.securitydemo.lab\n   switch-group dc1-row1@groups.securitydemo.lab\n",
    );
  });

  it("prints every device, each headed, without --device", async () => {
    const run = await reconciler(["render", "fabric-repo-example"]);
    expect(run.code).toBe(0);
    const headers = [...run.stdout.matchAll(/^==== (\S+) \(devices\/\S+\.yaml\) ====$/gm)].map((m) => m[1]);
    expect(headers).toEqual(["leaf1", "leaf2", "leaf3", "leaf4", "spine1", "spine2"]);
    expect(run.stdout.match(/^end$/gm)).toHaveLength(6);
  });

  it("prints JSON with --json", async () => {
    const run = await reconciler(["render", "fabric-repo-example", "--device", "spine1", "--json"]);
    const json = JSON.parse(run.stdout) as { ok: boolean; devices: { device: string; text: string }[] };
    expect(json.ok).toBe(true);
    expect(json.devices.map((d) => d.device)).toEqual(["spine1"]);
    expect(json.devices[0]!.text).toContain("router bgp 65000\n");
  });

  it("refuses an unknown device", async () => {
    const run = await reconciler(["render", "fabric-repo-example", "--device", "leaf9"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'error[unknown-device]: no device "leaf9" in fabric securitydemo\n  hint: Name one of: leaf1, leaf2',
    );
  });

  it("prints the errors of an invalid repo on stderr and nothing on stdout", async () => {
    const run = await reconciler(["render", await repo({ "groups/row1.yaml": "config: |\n  reload\n" })]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain("groups/row1.yaml:2:3: error[denied-command]");
  });
});

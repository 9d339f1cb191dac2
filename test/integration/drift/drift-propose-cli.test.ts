/**
 * `reconciler drift --propose` as a user runs it: the built CLI against the example fabric in git, a
 * real Prosody and simulated switches, the fake GitHub for the PR it opens.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeGithub, startFakeGithub } from "../../fakes/github/server.ts";
import { type FabricLab, startFabricLab } from "../support/fabric-lab.ts";

const REPO = "octo/fabric";
let lab: FabricLab;
let fake: FakeGithub;
beforeAll(async () => {
  lab = await startFabricLab();
  fake = await startFakeGithub();
}, 60_000);
afterAll(async () => {
  await fake?.close();
  await lab?.cleanup();
});

const run = promisify(execFile);
async function cli(env: Record<string, string>, ...args: string[]) {
  try {
    const { stdout, stderr } = await run(
      "node",
      ["bin/reconciler.mjs", ...args, "--state-dir", lab.stateDir],
      {
        env: { ...process.env, ...lab.lab.env, NO_COLOR: "1", ...env },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    return error as { code: number; stdout: string; stderr: string };
  }
}

describe("reconciler drift --propose", () => {
  it("pushes a branch that adopts the drift and opens its PR", async () => {
    lab.lab.fleet.get("leaf4").drift(["vlan 3990", "   name cli-proposal"]);
    const result = await cli(
      { GITHUB_TOKEN: "ghp_test", GITHUB_REPOSITORY: REPO, GITHUB_API_URL: fake.url },
      "drift",
      lab.repo,
      "--propose",
    );
    expect(result.code).toBe(3);
    expect(result.stdout).toContain("leaf4: drifted");
    const branch = /pushed (reconciler\/drift-\S+):/.exec(result.stderr)?.[1];
    expect(branch).toBeDefined();
    expect(result.stderr).toContain("adopts leaf4 (devices/leaf4.yaml)");
    expect(await simpleGit(lab.repo).show([`${branch}:devices/leaf4.yaml`])).toContain("vlan 3990");
    const [pull] = [...fake.repo(REPO).pulls.values()];
    expect(pull).toMatchObject({
      headRef: branch,
      baseRef: "main",
      title: "Adopt live config drift on leaf4",
    });
    expect(result.stderr).toContain(`opened pull request #${pull!.number} in ${REPO}`);
    const sha = (await simpleGit(lab.repo).revparse([branch!])).trim();
    const planned = await lab.runner().plan({ trigger: "cli", rev: sha });
    expect(planned.ok && planned.plan.summary.changed).toBe(0);
  });

  it("says what cannot be adopted, and pushes nothing then", async () => {
    await lab.reset();
    const sw = lab.lab.fleet.get("leaf3");
    // A secret typed on the switch: git never holds one, so this drift cannot be adopted.
    sw.setRunningConfig(
      lab.intended("leaf3").replace(/(router bgp \d+\n)/, "$1   neighbor 10.0.1.4 password 7 0x1234abcd\n"),
    );
    const before = await simpleGit(lab.repo).branch();
    const result = await cli({}, "drift", lab.repo, "--propose");
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(
      "not adopted: leaf3: the live config does not validate in devices/leaf3.yaml",
    );
    expect(result.stderr).not.toContain("0x1234abcd");
    expect(result.stderr).toContain("nothing to propose");
    expect((await simpleGit(lab.repo).branch()).all).toEqual(before.all);
  });
});

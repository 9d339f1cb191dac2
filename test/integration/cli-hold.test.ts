/**
 * The CLI under the service's fabric hold: the built CLI against the example fabric in git, a real
 * Prosody and simulated switches, with pr-hold.json written by the service's own writer (hold-file.ts)
 * into the fabric's state dir, as `reconciler serve` would leave it.
 */
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { realBackend } from "../../reconciler/src/cli/commands/serve.ts";
import type { CliContext } from "../../reconciler/src/cli/context.ts";
import { fileHold, type Hold } from "../../reconciler/src/pr-workflow/index.ts";
import type { ServiceConfig } from "../../reconciler/src/server/index.ts";
import { type FabricLab, outdated, startFabricLab } from "./support/fabric-lab.ts";

const hold: Hold = {
  pullNumber: 12,
  sha: "4b825dc642cb6eb9a060e54bf8d69288fbee4904",
  by: "alice",
  runId: "run-12",
  since: "2026-12-01T09:00:00.000Z",
};

let lab: FabricLab;
let holdFile: string;
beforeAll(async () => {
  lab = await startFabricLab({
    running: outdated,
    editFabricYaml: (text) => text.replace("selfHeal: false", "selfHeal: true"),
  });
  holdFile = join(lab.fabricStateDir, "pr-hold.json");
});
afterAll(() => lab?.cleanup());
beforeEach(async () => {
  await lab.reset(outdated);
  await fileHold(holdFile).take(hold);
});

const leaf1 = () => lab.lab.fleet.get("leaf1").runningConfig();
const lastFinished = async () => (await lab.journal.read()).filter((r) => r.event === "finished").at(-1)!;

const cli = (...args: string[]) => lab.cli(args, { USER: "bob" });

describe("reconciler apply while a PR holds the fabric", () => {
  it("exits 4 naming the PR, its head, who applied it and since when, and how to go on; changes nothing", async () => {
    const refused = await cli("apply", lab.repo, "--yes");
    expect(refused.code).toBe(4);
    expect(refused.stderr).toContain(
      "apply refused: the fabric is held by #12 (head 4b825dc, applied by @alice since 2026-12-01T09:00:00.000Z)",
    );
    expect(refused.stderr).toContain("merge #12");
    expect(refused.stderr).toContain("`/reconciler unlock` it");
    expect(refused.stderr).toContain('`--override-hold "reason"`');
    expect(leaf1()).toContain("ntp server 10.250.0.99 iburst");
    expect(await lastFinished()).toMatchObject({ kind: "apply", outcome: "refused" });
  });

  it("with --json, prints the refusal with the hold", async () => {
    const refused = await cli("apply", lab.repo, "--yes", "--json");
    expect(refused.code).toBe(4);
    expect(JSON.parse(refused.stdout)).toMatchObject({
      ok: false,
      code: "held",
      exitCode: 4,
      hold: { pullNumber: 12, sha: hold.sha, by: "alice", since: hold.since },
    });
  });

  it("applies with --override-hold, and the journal records who, why and which hold", async () => {
    const applied = await cli("apply", lab.repo, "--yes", "--override-hold", "INC-4712 revert #12 now");
    expect(applied.code).toBe(0);
    expect(leaf1()).toContain("ntp server 10.250.0.11 iburst");
    const finished = await lastFinished();
    expect(finished).toMatchObject({
      kind: "apply",
      outcome: "succeeded",
      holdOverride: { by: "bob (cli)", reason: "INC-4712 revert #12 now", pullNumber: 12, sha: hold.sha },
    });
    expect(finished.freezeOverride).toBeUndefined();
  });

  it("refuses when the hold file cannot be read, rather than taking the fabric as free", async () => {
    await writeFile(holdFile, "{ not json");
    try {
      const refused = await cli("apply", lab.repo, "--yes");
      expect(refused.code).toBe(4);
      expect(refused.stderr).toContain("cannot tell whether a PR holds the fabric");
      expect(refused.stderr).toContain(`${holdFile} is not JSON`);
      expect(leaf1()).toContain("ntp server 10.250.0.99 iburst");
    } finally {
      await rm(holdFile, { force: true });
    }
  });

  it("applies as before once the hold is released", async () => {
    await fileHold(holdFile).release(12);
    const applied = await cli("apply", lab.repo, "--yes");
    expect(applied.code).toBe(0);
    expect(leaf1()).toContain("ntp server 10.250.0.11 iburst");
    expect((await lastFinished()).holdOverride).toBeUndefined();
  });
});

describe("a hold taken while an apply waits for the fabric lock", () => {
  it("is read again under the lock: the apply is refused and changes nothing", async () => {
    await fileHold(holdFile).release(12);
    // Free when the run starts, held by the time it has the lock and has observed the switches.
    let reads = 0;
    const appearing = { current: async () => (reads++ === 0 ? undefined : hold) };
    const outcome = await lab.runner({ hold: appearing }).apply({ trigger: "cli" });
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.code).toBe("held");
    expect(!outcome.ok && outcome.message).toContain("the fabric is held by #12");
    expect(reads).toBe(2);
    expect(leaf1()).toContain("ntp server 10.250.0.99 iburst");
  });

  it("a drift heal too: the drift is reported, the heal refused as held", async () => {
    await fileHold(holdFile).release(12);
    let reads = 0;
    const appearing = { current: async () => (reads++ === 0 ? undefined : hold) };
    const outcome = await lab.runner({ hold: appearing }).drift({ trigger: "cli", heal: true });
    expect(outcome.ok && outcome.report.healRefused).toMatchObject({ code: "held" });
    expect(outcome.ok && outcome.report.healed).toBeUndefined();
    expect(leaf1()).toContain("ntp server 10.250.0.99 iburst");
  });
});

describe("reconciler drift and plan while a PR holds the fabric", () => {
  it("drift --heal reports the drift and whose it is, but does not heal it (exit 4)", async () => {
    const refused = await cli("drift", lab.repo, "--heal");
    expect(refused.code).toBe(4);
    expect(refused.stdout).toContain("leaf1: drifted");
    expect(refused.stdout).toContain("The fabric is held by #12 (4b825dc, applied by @alice");
    expect(refused.stderr).toContain(
      "not healed: drift healing refused: the fabric is held by #12 (head 4b825dc, applied by @alice since 2026-12-01T09:00:00.000Z)",
    );
    expect(leaf1()).toContain("ntp server 10.250.0.99 iburst");
    expect(await lastFinished()).toMatchObject({ kind: "drift", outcome: "heal-held" });
  });

  it("drift --heal --override-hold heals, journaled", async () => {
    const healed = await cli("drift", lab.repo, "--heal", "--override-hold", "CHG-9 put git back");
    expect(healed.code).toBe(0);
    expect(leaf1()).toContain("ntp server 10.250.0.11 iburst");
    expect(await lastFinished()).toMatchObject({
      kind: "drift",
      holdOverride: { by: "bob (cli)", reason: "CHG-9 put git back", pullNumber: 12 },
    });
  });

  it("drift --json includes the hold", async () => {
    const report = await cli("drift", lab.repo, "--json");
    expect(report.code).toBe(3);
    expect(JSON.parse(report.stdout).held).toEqual({
      pullNumber: 12,
      sha: hold.sha,
      by: "alice",
      since: hold.since,
    });
  });

  it("plan prints a note that the fabric is held, and --json includes it", async () => {
    const planned = await cli("plan", lab.repo);
    expect(planned.code).toBe(0);
    expect(planned.stdout).toContain(
      "note: the fabric is held by #12 (head 4b825dc, applied by @alice since 2026-12-01T09:00:00.000Z): `apply` and `drift --heal` are refused",
    );
    const json = await cli("plan", lab.repo, "--json");
    expect(JSON.parse(json.stdout)).toMatchObject({
      kind: "plan",
      held: { pullNumber: 12, sha: hold.sha, by: "alice", since: hold.since },
    });
  });
});

describe("the service's runner and the hold", () => {
  it("is not gated by the hold it keeps itself (its hold jobs decide), on the same state dir", async () => {
    const ctx: CliContext = {
      stdout: () => {},
      stderr: () => {},
      env: { ...lab.lab.env },
      cwd: process.cwd(),
      isTTY: false,
      exitCode: 0,
    };
    const config = { repo: lab.repo, stateDir: lab.stateDir, github: { branch: "main" } } as ServiceConfig;
    const backend = await realBackend(config, ctx);
    expect(backend.holdFile).toBe(holdFile);
    const outcome = await backend.runner.apply({ trigger: "comment", rev: "main" });
    expect(outcome.ok && outcome.result.outcome).toBe("succeeded");
    expect((await lastFinished()).holdOverride).toBeUndefined();
  });
});

import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type CliRun, type GateInputs, runGate } from "../../../reconciler/src/github/action-gate.ts";
import { planFor, redact } from "./fixtures.ts";

/** A gate whose CLI answers are scripted per command. */
async function gate(answers: Record<string, CliRun>, inputs: Partial<GateInputs> = {}) {
  const calls: string[][] = [];
  const outputs: Record<string, string> = {};
  let log = "";
  let summary = "";
  const code = await runGate(
    { fabricDir: ".", failOnChanges: false, allowUnreachable: false, ...inputs },
    {
      redact,
      log: (text) => {
        log += text;
      },
      appendSummary: async (md) => {
        summary += md;
      },
      setOutput: async (name, value) => {
        outputs[name] = value;
      },
      runCli: async (args) => {
        calls.push(args);
        const key = args[0] === "validate" && args.includes("--json") ? "validate-json" : args[0]!;
        return answers[key] ?? { code: 0, stdout: "", stderr: "" };
      },
    },
  );
  return { code, calls, outputs, log, summary };
}

const plan = (changed: number, unreachable = 0) => {
  const p = planFor("a".repeat(40), changed);
  p.summary.unreachable = unreachable;
  return { code: changed > 0 ? 2 : 0, stdout: JSON.stringify(p), stderr: "" };
};

describe("CI gate", () => {
  it("passes a valid plan with changes, with the plan in the summary and the outputs set", async () => {
    const g = await gate({ plan: plan(2) }, { runningConfigs: "recorded", fabricDir: "network" });
    expect(g.code).toBe(0);
    expect(g.calls).toEqual([
      ["validate", "network", "--format", "github", "--path-prefix", "network"],
      ["plan", "network", "--json", "--detailed-exitcode", "--offline", "recorded"],
    ]);
    expect(g.outputs["has-changes"]).toBe("true");
    expect(JSON.parse(g.outputs["plan-json"]!).summary.changed).toBe(2);
    expect(g.summary).toContain("## Reconciler gate: passed");
    expect(g.summary).toContain("**2 switches to change**");
    expect(g.summary).not.toContain("hunter2");
  });

  it("fails on invalid input: annotations pass through, every error goes to the summary", async () => {
    const annotation =
      "::error file=devices/leaf1.yaml,line=3,col=5,title=unknown-group::leaf1 names group leavs\n";
    const records = {
      ok: false,
      errors: [
        {
          code: "unknown-group",
          message: "leaf1 names group leavs",
          hint: "use leaves",
          file: "devices/leaf1.yaml",
          line: 3,
          col: 5,
        },
      ],
    };
    const g = await gate({
      validate: { code: 1, stdout: annotation, stderr: "" },
      "validate-json": { code: 1, stdout: JSON.stringify(records), stderr: "" },
    });
    expect(g.code).toBe(1);
    expect(g.log).toContain(annotation);
    expect(g.log).toContain("::error title=reconciler gate::the desired state is invalid\n");
    expect(g.summary).toContain(
      "| `devices/leaf1.yaml:3:5` | `unknown-group` | leaf1 names group leavs | use leaves |",
    );
    expect(g.outputs).toEqual({ "has-changes": "false", "plan-json": "" });
    expect(g.calls.some((c) => c[0] === "plan")).toBe(false);
  });

  it("fails when changes are not allowed", async () => {
    const g = await gate({ plan: plan(1) }, { failOnChanges: true });
    expect(g.code).toBe(1);
    expect(g.summary).toContain("> the plan has changes and fail-on-changes is set");
    expect(g.outputs["has-changes"]).toBe("true");
  });

  it("passes a plan without changes even when changes are not allowed", async () => {
    expect((await gate({ plan: plan(0) }, { failOnChanges: true })).code).toBe(0);
  });

  it("fails when recorded configs are missing, unless unreachable switches are allowed", async () => {
    const missing = await gate({ plan: { ...plan(1, 2), code: 5 } }, { runningConfigs: "recorded" });
    expect(missing.code).toBe(1);
    expect(missing.summary).toContain(
      "> 2 switches have no recorded running config; set allow-unreachable to accept",
    );
    const allowed = await gate({ plan: plan(1, 2) }, { runningConfigs: "recorded", allowUnreachable: true });
    expect(allowed.code).toBe(0);
    expect(allowed.calls[1]).toContain("--allow-unreachable");
  });

  it("fails with the refusal's message when plan cannot run", async () => {
    const refusal = {
      ok: false,
      exitCode: 5,
      code: "unreachable",
      message: "cannot reach the XMPP server 10.0.0.1:5222",
    };
    const g = await gate({ plan: { code: 5, stdout: JSON.stringify(refusal), stderr: "" } });
    expect(g.code).toBe(1);
    expect(g.summary).toContain("> plan failed: cannot reach the XMPP server 10.0.0.1:5222");
  });

  it("fails with the CLI's stderr when plan prints no JSON", async () => {
    const g = await gate({ plan: { code: 1, stdout: "", stderr: "reconciler: boom\n" } });
    expect(g.code).toBe(1);
    expect(g.summary).toContain("> plan failed: reconciler: boom");
  });
});

describe("CI gate, end to end with the real CLI", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "gate-e2e-"));
    await cp("fabric-repo-example", join(dir, "fabric"), { recursive: true });
    // The fixture's switch connects to another XMPP server than the example's: changing that would
    // cut it off (the management-path guard refuses it), so the recording names the fabric's server.
    const leaf1 = await readFile("test/fixtures/eos/leaf1-running.cfg", "utf8");
    await mkdir(join(dir, "recorded"), { recursive: true });
    await writeFile(
      join(dir, "recorded", "leaf1.cfg"),
      leaf1.replace("server 10.1.1.1", "server 172.17.3.253"),
    );
    await writeFile(join(dir, "summary.md"), "");
    await writeFile(join(dir, "output.txt"), "");
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const runAction = (env: Record<string, string>) =>
    new Promise<{ code: number; stdout: string }>((resolve) => {
      const child = spawn(process.execPath, [join(process.cwd(), ".github/actions/gate/main.mjs")], {
        cwd: dir,
        env: {
          PATH: process.env.PATH,
          HOME: dir,
          RECONCILER_STATE_DIR: join(dir, "state"),
          GITHUB_STEP_SUMMARY: join(dir, "summary.md"),
          GITHUB_OUTPUT: join(dir, "output.txt"),
          GATE_FABRIC_DIR: "fabric",
          ...env,
        },
      });
      let stdout = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.on("close", (code) => resolve({ code: code ?? -1, stdout }));
    });

  it("plans offline against recorded configs and writes the summary and outputs", async () => {
    const { code } = await runAction({ GATE_RUNNING_CONFIGS: "recorded", GATE_ALLOW_UNREACHABLE: "true" });
    expect(code).toBe(0);
    const summary = await readFile(join(dir, "summary.md"), "utf8");
    expect(summary).toContain("## Reconciler gate: passed");
    expect(summary).toContain("| changes | 1 | leaf1 |");
    const output = await readFile(join(dir, "output.txt"), "utf8");
    expect(output).toMatch(/^has-changes<<(ghadelimiter_[0-9a-f-]+)\ntrue\n\1\n/);
    expect(output).toMatch(/plan-json<<(ghadelimiter_[0-9a-f-]+)\n\{"kind":"plan".*\n\1\n$/);
  });

  it("annotates an invalid device file on the diff and fails", async () => {
    const file = join(dir, "fabric", "devices", "leaf2.yaml");
    await writeFile(
      file,
      (await readFile(file, "utf8")).replace("groups: [leaf, dc1-row1]", "groups: [leaf, no-such-group]"),
    );
    const { code, stdout } = await runAction({ GATE_RUNNING_CONFIGS: "recorded" });
    expect(code).toBe(1);
    expect(stdout).toMatch(/::error file=fabric\/devices\/leaf2\.yaml,line=\d+,col=\d+/);
    const summary = await readFile(join(dir, "summary.md"), "utf8");
    expect(summary).toContain("## Reconciler gate: failed");
    expect(summary).toContain("`fabric/devices/leaf2.yaml:");
  });
});

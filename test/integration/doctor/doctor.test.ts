import { execFile } from "node:child_process";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import type { CheckResult, DoctorReport } from "../../../reconciler/src/doctor/index.ts";
import { openFabricTransport } from "../../../reconciler/src/transport/index.ts";
import { type FakeGithub, startFakeGithub } from "../../fakes/github/server.ts";
import { type FabricLab, startFabricLab } from "../support/fabric-lab.ts";
import { TEST_SERVER } from "../support/xmpp-server.ts";

const run = promisify(execFile);
const STRANGER = { user: "intruder", password: "intruder-password-1" };
const labs: FabricLab[] = [];
let github: FakeGithub | undefined;
afterAll(async () => {
  await Promise.all(labs.map((l) => l.cleanup()));
  await github?.close();
});

/** `reconciler doctor REPO --json`, as an operator runs it, with the lab's connection settings. */
async function doctor(
  lab: FabricLab,
  env: Record<string, string>,
  args: string[] = [],
): Promise<{ code: number; report: DoctorReport }> {
  const argv = ["bin/reconciler.mjs", "doctor", lab.repo, "--json", "--state-dir", lab.stateDir, ...args];
  const options = { env: { ...process.env, ...lab.lab.env, ...env, NO_COLOR: "1" } };
  try {
    const { stdout } = await run("node", argv, options);
    return { code: 0, report: JSON.parse(stdout) };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    if (!e.stdout) throw new Error(`doctor failed without a report: ${e.stderr}`);
    return { code: e.code, report: JSON.parse(e.stdout) };
  }
}

const statusOf = (report: DoctorReport, check: string, subject?: string): string[] =>
  report.results
    .filter((r: CheckResult) => r.check === check && (subject === undefined || r.subject === subject))
    .map((r) => r.status);

describe(`reconciler doctor against ${TEST_SERVER}`, () => {
  it("passes a server, rooms and switches set up as the README says", async () => {
    const lab = await startFabricLab({ hardenRooms: {} });
    labs.push(lab);
    await lab.lab.server.register(STRANGER.user, STRANGER.password);
    await mkdir(lab.stateDir, { recursive: true, mode: 0o700 });
    await chmod(lab.stateDir, 0o700);
    const { code, report } = await doctor(
      lab,
      { RECONCILER_WEBHOOK_SECRET: "x".repeat(40), RECONCILER_DOCTOR_PROBE_PASSWORD: STRANGER.password },
      ["--probe-jid", `${STRANGER.user}@securitydemo.lab`],
    );
    expect(report.results.filter((r) => r.status === "fail")).toEqual([]);
    expect(code).toBe(0);
    for (const check of [
      "server-reachable",
      "no-auth-before-tls",
      "no-leaky-mechanism",
      "cert-pinned-ca",
      "cert-names-domain",
      "cert-validity",
      "cert-not-self-signed",
      "cert-not-sample",
      "registration-closed",
      "reconciler-login",
      "room-members-only",
      "room-non-anonymous",
      "room-members-match-git",
      "switch-answers",
      "switch-privilege",
      "switch-tls-only",
      "switch-server-domain",
      "switch-refuses-strangers",
      "webhook-secret",
      "state-dir-private",
    ]) {
      const statuses = statusOf(report, check);
      expect(statuses.length, check).toBeGreaterThan(0);
      expect(new Set(statuses), check).toEqual(new Set(["pass"]));
    }
    expect(statusOf(report, "room-members-only")).toHaveLength(4); // dc1-row1, dc1-row2, leaf, spine
    expect(statusOf(report, "switch-answers")).toHaveLength(6);
    expect(statusOf(report, "github-token-scope")).toEqual(["skip"]);
  });

  it("reports each misconfiguration as a failure, with how to fix it, and exits 1", async () => {
    const lab = await startFabricLab({
      hardenRooms: { open: ["leaf"] },
      serverOptions: { misconfigure: { plaintextAuth: true, openRegistration: true, roomHistory: true } },
    });
    labs.push(lab);
    // traffic in the open room: its history now holds the switches' replies
    const transport = await openFabricTransport(lab.fabric, { env: lab.lab.env, repoDir: lab.repo });
    const leaves = lab.fabric.groups.leaf!.members;
    const replies = await transport.sendToGroup("leaf", "show hostname", { members: leaves });
    expect([...replies.values()].every((r) => r.ok)).toBe(true);
    await transport.close();
    // a switch that may fall back to plaintext
    lab.lab.fleet.get("leaf4").drift(["management xmpp", "   connection unencrypted permit"]);
    await mkdir(lab.stateDir, { recursive: true });
    await chmod(lab.stateDir, 0o755);
    const secretFile = join(lab.stateDir, "..", "webhook-secret");
    await writeFile(secretFile, "short\n", { mode: 0o644 });
    await chmod(secretFile, 0o644);
    github = await startFakeGithub();
    // a classic token with more than the reconciler needs
    github.fail({
      method: "GET",
      path: /^\/user$/,
      status: 200,
      headers: { "x-oauth-scopes": "repo, delete_repo, admin:org" },
    });

    const { code, report } = await doctor(lab, {
      RECONCILER_WEBHOOK_SECRET_FILE: secretFile,
      GITHUB_TOKEN: "ghp_classic-token-for-the-test",
      GITHUB_API_URL: github.url,
    });
    expect(code).toBe(1);
    expect(report.ok).toBe(false);
    expect(statusOf(report, "no-auth-before-tls")).toContain("fail");
    expect(statusOf(report, "registration-closed")).toEqual(["fail"]);
    expect(report.results.find((r) => r.check === "registration-closed")?.detail).toMatch(
      /could register the account doctor-probe-[0-9a-f]+@securitydemo\.lab; the doctor removed it again/,
    );
    expect(statusOf(report, "room-members-only", "leaf@groups.securitydemo.lab")).toEqual(["fail"]);
    expect(statusOf(report, "room-members-only", "spine@groups.securitydemo.lab")).toEqual(["pass"]);
    expect(statusOf(report, "room-no-history", "leaf@groups.securitydemo.lab")).toEqual(["fail"]);
    expect(statusOf(report, "switch-tls-only", "leaf4")).toEqual(["fail"]);
    expect(statusOf(report, "switch-tls-only", "leaf3")).toEqual(["pass"]);
    expect(statusOf(report, "state-dir-private")).toEqual(["fail"]);
    expect(statusOf(report, "webhook-secret")).toEqual(["fail"]);
    expect(statusOf(report, "secret-files-private", secretFile)).toEqual(["fail"]);
    expect(statusOf(report, "github-token-scope")).toEqual(["fail"]);
    expect(report.results.find((r) => r.check === "github-token-scope")?.detail).toContain(
      "delete_repo, admin:org",
    );
    for (const r of report.results.filter((x) => x.status === "fail")) expect(r.fix, r.check).toBeTruthy();
    // the certificate itself is fine on the misconfigured server too
    expect(statusOf(report, "cert-pinned-ca")).toEqual(["pass"]);
  });
});

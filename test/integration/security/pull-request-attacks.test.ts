/**
 * Issue 10's findings, each tried against `reconciler serve` in its own process with signed webhooks:
 * a pull request (from a fork or from a branch of the repo) may change what a plan shows, never reach a
 * secret, never choose where the reconciler connects or which file it reads as a password. After every
 * attack: none of the service's real secret values appears in any comment, status, page, API answer,
 * log line or stderr, and the trap — a listener on the address the PR names — saw no connection.
 */
import { copyFile, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureServerCerts } from "../../../reconciler/sim/xmpp-server/certs.ts";
import {
  type AttackLab,
  edits,
  postChunked,
  REPO,
  rssOf,
  type ServiceProcess,
  startAttackLab,
  waitForRun,
} from "./attack-lab.ts";

let lab: AttackLab;
let service: ServiceProcess;
let malloryCa: string;
let malloryDir: string;

beforeAll(async () => {
  lab = await startAttackLab();
  service = await lab.serve("main");
  malloryDir = await mkdtemp(join(tmpdir(), "mallory-ca-"));
  malloryCa = (await ensureServerCerts(malloryDir, "securitydemo.lab")).caCert;
}, 120_000);
afterAll(async () => {
  await lab?.cleanup();
  if (malloryDir) await rm(malloryDir, { recursive: true, force: true });
});

const commentOf = (pr: number) => lab.fake.repo(REPO).comments.get(pr)?.at(-1)?.body ?? "";
const statusesOf = (sha: string) =>
  (lab.fake.repo(REPO).statuses.get(sha) ?? []).map((s) => `${s.context}=${s.state}`);

async function expectNothingLeaked(on = service): Promise<void> {
  const outputs = await lab.outputs(on);
  // What is searched is the real thing: the service's JSON log and its pages.
  expect(outputs).toContain('"msg":"service listening"');
  expect(outputs).toContain("<!doctype html>");
  expect(lab.leaks(outputs), "secrets found in the service's outputs").toEqual([]);
  expect(lab.trap.connections, "connections to the port a pull request named").toBe(0);
}

/** xmpp.host → the trap (127.0.0.2 at the server's port); everything else of the xmpp block as on main. */
const toTrap = (dir: string) =>
  edits.replace(dir, "fabric.yaml", `host: ${lab.fabric.lab.server.host}`, `host: ${lab.trap.host}`);

describe("a pull request against reconciler serve", () => {
  it("with links to /proc/self/environ and to the secrets file is refused by name, from a fork and from a branch", async () => {
    const sha = await lab.branch("links", async (dir) => {
      await edits.link(dir, "devices/evil.yaml", "/proc/self/environ");
      await edits.link(dir, "devices/key.yaml", join(lab.secretsDir, "xmpp-password"));
    });
    for (const [number, fork] of [
      [101, true],
      [102, false],
    ] as const) {
      const run = await lab.pullRequest(service, { number, sha, fork });
      expect(run.outcome).toBe("invalid-input");
      const body = commentOf(number);
      expect(body).toContain("devices/evil.yaml is a symbolic link");
      expect(body).toContain("devices/key.yaml is a symbolic link");
      expect(statusesOf(sha)).toContain("reconciler/validate=failure");
    }
    await expectNothingLeaked();
  });

  it("that changes the xmpp block and commits its own CA is planned with the tracked branch's, and says so", async () => {
    const sha = await lab.branch("own-server", async (dir) => {
      await toTrap(dir);
      await copyFile(malloryCa, join(dir, "pki", "mallory-ca.pem"));
      await edits.replace(
        dir,
        "fabric.yaml",
        "caFile: pki/securitydemo-ca.pem",
        "caFile: pki/mallory-ca.pem",
      );
      await edits.replace(dir, "fabric.yaml", "ntp_secondary: 10.250.0.11", "ntp_secondary: 10.250.0.12");
    });
    const run = await lab.pullRequest(service, { number: 103, sha, fork: false });
    // Planned against the real switches over the trusted server: the change shows, nothing else moved.
    expect(run.outcome).toBe("changes");
    const body = commentOf(103);
    expect(body).toContain("These settings change on merge:");
    expect(body).toContain("`xmpp.host`");
    expect(body).toContain("`xmpp.caFile`");
    expect(body).toContain("ntp server 10.250.0.12 iburst");
    expect(statusesOf(sha)).toContain("reconciler/plan=success");
    await expectNothingLeaked();
  });

  it("that swaps the content of the trusted CA file in place is planned with the tracked one, from a fork", async () => {
    const sha = await lab.branch("swapped-ca", async (dir) => {
      await copyFile(malloryCa, join(dir, "pki", "securitydemo-ca.pem"));
      await toTrap(dir);
    });
    const run = await lab.pullRequest(service, { number: 104, sha, fork: true });
    expect(run.outcome).toBe("no-changes");
    expect(commentOf(104)).toContain("`xmpp.caFile (content)`");
    await expectNothingLeaked();
  });

  it("with tls: insecure-permit towards another host never sends the password in plaintext", async () => {
    const sha = await lab.branch("plaintext", async (dir) => {
      await edits.replace(dir, "fabric.yaml", "tls: starttls", "tls: insecure-permit");
      await toTrap(dir);
    });
    for (const [number, fork] of [
      [105, false],
      [106, true],
    ] as const) {
      const run = await lab.pullRequest(service, { number, sha, fork });
      expect(run.outcome).toBe("no-changes");
      expect(commentOf(number)).toMatch(/These settings change on merge:.*`xmpp\.tls`/);
    }
    expect(lab.trap.received).not.toContain(lab.secrets.xmppPassword);
    await expectNothingLeaked();
  });

  it("with a file: reference that climbs out of the secrets directory is refused at the field", async () => {
    const sha = await lab.branch("climb", (dir) =>
      edits.replace(dir, "fabric.yaml", "password: file:xmpp-password", "password: file:../outside/stolen"),
    );
    const run = await lab.pullRequest(service, { number: 107, sha, fork: false });
    expect(run.outcome).toBe("invalid-input");
    expect(commentOf(107)).toContain(
      "xmpp.password: file: reference outside the secrets directory (it climbs out of the secrets directory with ..)",
    );
    expect(commentOf(107)).toContain("`fabric.yaml:16:13` | `secret-path`");
    await expectNothingLeaked();
  });

  it("with an absolute file: reference elsewhere on the host never has it read: the trusted reference is used", async () => {
    const sha = await lab.branch("absolute-ref", async (dir) => {
      await edits.replace(
        dir,
        "fabric.yaml",
        "password: file:xmpp-password",
        `password: file:${lab.outsideFile}`,
      );
      await toTrap(dir);
    });
    const run = await lab.pullRequest(service, { number: 108, sha, fork: false });
    expect(run.outcome).toBe("no-changes");
    expect(commentOf(108)).toContain("`xmpp.reconcilerPassword`");
    expect(lab.trap.received).not.toContain(lab.secrets.outsideSecret);
    await expectNothingLeaked();
  });

  it("keeps the service's memory bounded under 16 concurrent 24 MB unsigned bodies", async () => {
    const body = Buffer.alloc(24 * 1024 * 1024, 0x20);
    const base = rssOf(service.pid);
    let peak = base;
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssOf(service.pid));
    }, 5);
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        postChunked(`${service.url}/webhook`, body, {
          "x-github-event": "push",
          "x-github-delivery": `flood-${i}`,
          "x-hub-signature-256": `sha256=${"1".repeat(64)}`,
        }),
      ),
    );
    clearInterval(sampler);
    expect(results.every((r) => r === 400 || r === 503 || r === "reset")).toBe(true);
    // Two bodies are read at a time (2 × 24 MB plus garbage not yet collected); all 16 at once would
    // hold 384 MB.
    const grewMb = Math.round((peak - base) / 1024 / 1024);
    expect(grewMb, "RSS growth of the service process, MB").toBeLessThan(160);
    expect((await lab.deliver(service, "ping", { zen: "still here" })).status).toBe(200);
  });

  it("with a forged X-GitHub-Event header adds no metric series, signed or not", async () => {
    const series = async () =>
      (await (await fetch(`${service.url}/metrics`)).text())
        .split("\n")
        .filter((l) => l.startsWith("reconciler_webhook_deliveries_total{"));
    const before = await series();
    for (let i = 0; i < 40; i++) {
      const forged = `forged-${i}-${"x".repeat(i)}`;
      if (i % 2 === 0) {
        const response = await fetch(`${service.url}/webhook`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            "x-github-event": forged,
            "x-github-delivery": `forged-${i}`,
            "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
          },
          body: "{}",
        });
        expect(response.status).toBe(400);
      } else expect((await lab.deliver(service, forged, { zen: "x" })).status).toBe(200);
    }
    const after = await series();
    expect(after.join("\n")).not.toContain("forged");
    expect(new Set(after.map((l) => /event="([^"]*)"/.exec(l)![1]))).toContain("other");
    // At most the two outcomes of "other" are new, however many forgeries.
    expect(after.length - before.length).toBeLessThanOrEqual(2);
    await expectNothingLeaked();
  });
});

describe("a local-path repo whose working tree has a pull request's branch checked out", () => {
  let drifting: ServiceProcess | undefined;
  afterAll(async () => {
    await drifting?.stop();
    await simpleGit(lab.fabric.repo).checkout(["main"]);
  });

  it("plans and checks drift against the tracked branch head from git, not the working tree", async () => {
    const sha = await lab.branch("checked-out", async (dir) => {
      await toTrap(dir);
      await edits.replace(dir, "fabric.yaml", "ntp_secondary: 10.250.0.11", "ntp_secondary: 10.250.0.13");
    });
    await simpleGit(lab.fabric.repo).checkout(["checked-out"]);
    // A second service on the same repo, with a drift check every two seconds and a smaller body limit.
    drifting = await lab.serve(
      "drift",
      'drift: { schedule: "*/2 * * * * *" }\nwebhook: { path: /webhook, maxBodyBytes: 65536 }',
    );
    const drift = await waitForRun(drifting, (r) => r.kind === "drift");
    // The switches run main's intended configs: in sync with main, though the working tree says otherwise.
    expect(drift.outcome).toBe("in-sync");
    expect(drift.sha).toBe(lab.main);

    const run = await lab.pullRequest(drifting, { number: 109, sha, fork: false });
    expect(run.outcome).toBe("changes");
    expect(commentOf(109)).toContain("`xmpp.host`");
    expect(commentOf(109)).toContain("ntp server 10.250.0.13 iburst");

    // The configured limit: a signed 1 MB body is refused unread.
    const big = await lab.deliver(drifting, "ping", { zen: "x".repeat(1024 * 1024) });
    expect(big.status).toBe(413);
    await expectNothingLeaked(drifting);
  });
});

/**
 * Switch events end to end, as `reconciler serve` runs them (the real backend: git source, journal,
 * XMPP to simulated switches on the real server): syslog on a real UDP/TCP socket, rules from the
 * tracked branch, a branch pushed to the real git repo, a PR opened through octokit on the fake
 * GitHub, the PR planned, merged and applied to the simulated switch and verified. Every message that
 * must change nothing is shown to change nothing, and the audit (`reconciler history --events`) says why.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { simpleGit } from "simple-git";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatSyslog, sendSyslog } from "../../../reconciler/sim/index.ts";
import { serveCommand } from "../../../reconciler/src/cli/commands/serve.ts";
import type { CliContext } from "../../../reconciler/src/cli/context.ts";
import { buildProgram, main } from "../../../reconciler/src/cli/main.ts";
import type { RunningService } from "../../../reconciler/src/server/index.ts";
import { type FakeGithub, startFakeGithub } from "../../fakes/github/server.ts";
import { example } from "../github/harness.ts";
import { type FabricLab, startFabricLab } from "../support/fabric-lab.ts";
import { signedWebhooks } from "../support/signed-webhook.ts";

const REPO = "Codertocat/Hello-World";
const SECRET = "events-webhook-secret";
const LEAF3 = "127.0.0.13";
const BRANCH = "reconciler/event/autopeer/leaf3-10-0-3-0";
const md5 = (peer: string) => `tcp_auth_ok: Packet from ${peer}:60042 unexpectedly has MD5 digest`;

let lab: FabricLab;
let fake: FakeGithub;
let root: string;
let service: RunningService;
let stop: () => void = () => {};
let served: Promise<unknown>;
const logs: string[] = [];
let ports: { udp: number; tcp: number };
const signed = signedWebhooks(SECRET, "events");

const ctxFor = (env: NodeJS.ProcessEnv, out: (t: string) => void): CliContext => ({
  stdout: out,
  stderr: out,
  env,
  cwd: root,
  isTTY: false,
  exitCode: 0,
});

async function send(messages: string[], options: { from?: string; transport?: "udp" | "tcp" } = {}) {
  const transport = options.transport ?? "udp";
  await sendSyslog(
    { transport, host: "127.0.0.1", port: ports[transport], from: options.from ?? LEAF3 },
    messages.map((message) => formatSyslog({ host: "leaf3", app: "rpd", message })),
  );
}

async function history(): Promise<
  { outcome: string; reason?: string; summary?: string; detail?: string; pullRequest?: { number: number } }[]
> {
  let out = "";
  const ctx = ctxFor({}, (t) => {
    out += t;
  });
  await main(
    [
      "node",
      "reconciler",
      "history",
      lab.repo,
      "--events",
      "--json",
      "-n",
      "1000",
      "--state-dir",
      join(root, "state"),
    ],
    ctx,
  );
  return JSON.parse(out);
}

/** Waits until the intake has decided about everything sent (UDP gives no receipt). */
async function settled(count: number): Promise<void> {
  await expect.poll(async () => (await history()).length, { timeout: 20_000 }).toBeGreaterThanOrEqual(count);
}

const eventPulls = () =>
  [...fake.repo(REPO).pulls.values()].filter((p) => p.headRef.startsWith("reconciler/event/"));
const branches = async () =>
  (await simpleGit(lab.repo).branchLocal()).all.filter((b) => b.startsWith("reconciler/"));

async function deliver(event: string, payload: unknown): Promise<void> {
  const response = await signed(`${service.url}/webhook`, event, payload);
  expect(response.status).toBe(202);
  await service.queue.idle();
}

beforeAll(async () => {
  lab = await startFabricLab();
  root = await mkdtemp(join(tmpdir(), "events-"));
  await lab.commit(
    "devices/leaf3.yaml",
    (t) => t.replace("172.17.3.13", LEAF3),
    "leaf3 syslogs from loopback",
  );
  await lab.commit(
    "fabric.yaml",
    (t) =>
      t
        .replace("      maxChangesPerHour: 10\n", "      maxChangesPerHour: 2\n")
        .replace(
          "drift:\n",
          [
            "    - name: direct",
            "      match: 'BGP peer (?<peer>[0-9.]+) asks to join'",
            "      addressInside: { capture: peer }",
            "      change:",
            "        lines: |",
            "          router bgp ${asn}",
            "             neighbor ${peer} peer group ${peerGroup}",
            "        log: adding neighbor ${peer} to group ${peerGroup} at once",
            "      action: apply",
            "    - name: evil",
            "      match: 'please run (?<word>[a-z]+)'",
            "      change:",
            "        lines: ${word}",
            "",
            "drift:\n",
          ].join("\n"),
        ),
    "More event rules",
  );
  await lab.commit(
    "groups/leaf.yaml",
    (t) =>
      t.replace(
        "    sourcePrefixes: [10.0.0.0/16]\n",
        "    sourcePrefixes: [10.0.0.0/16]\n  direct:\n    peerGroup: SPINES\n    sourcePrefixes: [10.0.0.0/16]\n  evil: {}\n",
      ),
    "The leaves declare the other rules",
  );
  // git takes a push to the checked-out branch of a non-bare repo only this way (action: apply).
  await simpleGit(lab.repo).addConfig("receive.denyCurrentBranch", "updateInstead");
  fake = await startFakeGithub();
  await writeFile(
    join(root, "serve.yaml"),
    [
      `repo: ${lab.repo}`,
      `stateDir: ${join(root, "state")}`,
      "listen: { host: 127.0.0.1, port: 0 }",
      `github: { repo: ${REPO}, branch: main, apiUrl: "${fake.url}", commentAuthor: ${fake.botLogin} }`,
      "poll: { intervalSeconds: 0 }",
      "shutdownGraceSeconds: 5",
      "events: { syslog: { udp: { port: 0 }, tcp: { port: 0 } } }",
    ].join("\n"),
  );
  const env = { ...lab.lab.env, GITHUB_TOKEN: "ghp_events", RECONCILER_WEBHOOK_SECRET: SECRET, HOME: root };
  const ctx = ctxFor(env, (t) => logs.push(t));
  await new Promise<void>((listening, failed) => {
    const register = serveCommand({
      onStopSignal: (s) => {
        stop = s;
      },
      onListening: (s) => {
        service = s;
        listening();
      },
    });
    served = buildProgram(ctx, [register])
      .parseAsync(["node", "reconciler", "serve", "--config", "serve.yaml"])
      .then(() => failed(new Error(`serve ended: ${logs.join("")}`)));
  });
  const line = logs
    .join("")
    .split("\n")
    .find((l) => l.includes("listening for switch syslog"));
  const addresses = JSON.parse(line!).addresses;
  ports = { udp: addresses.udp.port, tcp: addresses.tcp.port };
}, 120_000);

afterAll(async () => {
  stop();
  await served?.catch(() => undefined);
  await fake?.close();
  await lab?.cleanup();
  if (root) await rm(root, { recursive: true, force: true });
});

describe("a switch event becomes a reviewed change in git", () => {
  it("opens one PR with the YAML change for an MD5 knock from inside the declared prefixes", async () => {
    await send([md5("10.0.3.0")]);
    await expect.poll(() => eventPulls().length, { timeout: 30_000 }).toBe(1);
    const [pull] = eventPulls();
    expect(pull).toMatchObject({
      headRef: BRANCH,
      baseRef: "main",
      title: "adding neighbor 10.0.3.0 to group SPINES on leaf3",
    });
    expect(pull!.body).toContain("tcp_auth_ok: Packet from 10.0.3.0:60042 unexpectedly has MD5 digest");
    expect(pull!.body).toContain("declared in `groups/leaf.yaml`");
    const file = await simpleGit(lab.repo).show([`${BRANCH}:devices/leaf3.yaml`]);
    expect(file).toContain("router bgp ${asn}\n     neighbor 10.0.3.0 peer group SPINES");
    await settled(1);
    expect((await history()).at(-1)).toMatchObject({
      outcome: "proposed",
      summary: `adding neighbor 10.0.3.0 to group SPINES on leaf3 (rule autopeer, PR #${pull!.number})`,
    });
    expect(logs.join("")).toContain(
      `adding neighbor 10.0.3.0 to group SPINES on leaf3 (rule autopeer, PR #${pull!.number})`,
    );
  });

  it("changes nothing for a duplicate, a flood, an unknown source, no rule, an outside peer, a malformed line or a denied template", async () => {
    const before = (await history()).length;
    await send([md5("10.0.3.0")]);
    await send(
      Array.from({ length: 1000 }, () => md5("10.0.3.0")),
      { transport: "tcp" },
    );
    await send([md5("10.0.3.7")], { from: "127.0.0.99" });
    await send(["%LINK-3-UPDOWN: Interface Ethernet3, changed state to up"]);
    await send([md5("192.0.2.2")]);
    await sendSyslog({ transport: "udp", host: "127.0.0.1", port: ports.udp, from: LEAF3 }, [
      "no priority, no header",
    ]);
    await send(["please run reload"]);
    // One record each (the duplicates are one record: a flood is coalesced into a count).
    await settled(before + 6);
    const records = (await history()).slice(before);
    const reasons = records.map((r) => `${r.outcome}:${r.reason}`);
    expect(reasons, JSON.stringify(records, null, 1)).toEqual(
      expect.arrayContaining([
        "duplicate:seen",
        "ignored:unknown-source",
        "ignored:no-rule",
        "ignored:outside-prefixes",
        "ignored:malformed",
      ]),
    );
    const denied = records.find((r) => r.outcome === "refused");
    expect(denied?.detail).toMatch(
      /would make the desired state invalid: devices\/leaf3\.yaml:\d+:\d+ .*reload/,
    );
    // The flood is a counter, not a thousand records or changes.
    expect(records.filter((r) => r.outcome === "duplicate").length).toBeLessThan(5);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    const duplicates = Number(
      /reconciler_events_total\{rule="autopeer",outcome="duplicate"\} (\d+)/.exec(metrics)?.[1],
    );
    expect(duplicates).toBeGreaterThanOrEqual(1001);
    expect(metrics).toMatch(/reconciler_events_total\{rule="none",outcome="ignored"\} \d+/);
    expect(eventPulls()).toHaveLength(1);
    expect(await branches()).toEqual([BRANCH]);
  });

  it("rate-limits a rule: the third change within the hour is audited, not made", async () => {
    const before = (await history()).length;
    await send([md5("10.0.4.0")]);
    await expect.poll(() => eventPulls().length, { timeout: 30_000 }).toBe(2);
    await send([md5("10.0.5.0")]);
    await settled(before + 2);
    // The rate check runs when an event arrives; the proposal is audited once its PR is open.
    expect(
      (await history())
        .slice(before)
        .map((r) => `${r.outcome}:${r.reason ?? ""}`)
        .sort(),
    ).toEqual(["proposed:", "rate-limited:rule-limit"]);
    expect(eventPulls()).toHaveLength(2);
  });

  it("plans the PR, and merging it adds the neighbor on the switch, verified", async () => {
    const pull = eventPulls().find((p) => p.headRef === BRANCH)!;
    const sha = (await simpleGit(lab.repo).revparse([BRANCH])).trim();
    const opened = example("pull_request", (p) => p.action === "opened");
    opened.number = pull.number;
    opened.pull_request.number = pull.number;
    opened.pull_request.head.sha = sha;
    opened.pull_request.base.ref = "main";
    opened.repository.full_name = REPO;
    opened.pull_request.base.repo.full_name = REPO;
    opened.pull_request.head.repo!.full_name = REPO;
    await deliver("pull_request", opened);
    const plan = (fake.repo(REPO).comments.get(pull.number) ?? []).map((c) => c.body ?? "").join("\n");
    expect(plan).toContain("leaf3");
    expect(plan).toContain("neighbor 10.0.3.0 peer group SPINES");

    const git = simpleGit(lab.repo);
    await git.merge(["--no-ff", "-m", `Merge pull request #${pull.number}`, BRANCH]);
    const merged = (await git.revparse(["HEAD"])).trim();
    const push = example("push", (p) => p.ref === "refs/heads/master");
    push.ref = "refs/heads/main";
    push.after = merged;
    push.repository.full_name = REPO;
    await deliver("push", push);
    expect(lab.lab.fleet.get("leaf3").runningConfig()).toContain("   neighbor 10.0.3.0 peer group SPINES");
    expect(lab.lab.fleet.get("leaf4").runningConfig()).not.toContain("10.0.3.0");
  });

  it("with action: apply, commits to the tracked branch and applies through the rollout", async () => {
    const before = (await history()).length;
    await send(["BGP peer 10.0.9.0 asks to join"]);
    await settled(before + 1);
    await service.queue.idle();
    expect((await history()).at(-1)).toMatchObject({ outcome: "applied" });
    const log = await simpleGit(lab.repo).log({ maxCount: 1 });
    expect(log.latest?.message).toBe(
      "adding neighbor 10.0.9.0 to group SPINES at once on leaf3 (event rule direct)",
    );
    await expect
      .poll(() => lab.lab.fleet.get("leaf3").runningConfig(), { timeout: 30_000 })
      .toContain("   neighbor 10.0.9.0 peer group SPINES");
  });

  it("shows the decisions on the status page", async () => {
    const view = (await (await fetch(`${service.url}/api/fabric`)).json()) as {
      events: { outcome: string }[];
    };
    expect(view.events.map((e) => e.outcome)).toEqual(
      expect.arrayContaining(["proposed", "applied", "ignored"]),
    );
    const html = await (await fetch(service.url)).text();
    expect(html).toContain("Recent switch events");
    expect(html).toContain("adding neighbor 10.0.3.0 to group SPINES on leaf3");
  });
});

import { EventEmitter } from "node:events";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhooks } from "@octokit/webhooks";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { serveCommand } from "../../../reconciler/src/cli/commands/serve.ts";
import type { CliContext, RegisterCommand } from "../../../reconciler/src/cli/context.ts";
import { buildProgram } from "../../../reconciler/src/cli/main.ts";
import type { RunningService } from "../../../reconciler/src/server/index.ts";
import { type FakeGithub, startFakeGithub } from "../../fakes/github/server.ts";
import { example, REPO, RecordingRunner, SECRET } from "../../integration/github/harness.ts";

let dir: string;
let fake: FakeGithub;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "serve-"));
  fake = await startFakeGithub();
});
afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

function context(env: NodeJS.ProcessEnv): CliContext & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    env,
    cwd: dir,
    isTTY: false,
    exitCode: 0,
    out,
    err,
  };
}

/** `reconciler serve --config FILE` with only the serve command registered. */
async function run(ctx: CliContext, register: RegisterCommand, config = "serve.yaml"): Promise<number> {
  await buildProgram(ctx, [register]).parseAsync(["node", "reconciler", "serve", "--config", config]);
  return ctx.exitCode;
}

async function writeConfig(text: string): Promise<void> {
  await writeFile(join(dir, "serve.yaml"), text);
}

describe("reconciler serve", () => {
  it("starts from a config file and the environment, serves webhooks, logs JSON lines, stops on a signal", async () => {
    await writeConfig(
      [
        "repo: /srv/fabric",
        "listen: { port: 0 }",
        `github: { repo: ${REPO}, branch: master, apiUrl: "${fake.url}" }`,
        "shutdownGraceSeconds: 1",
      ].join("\n"),
    );
    const runner = new RecordingRunner();
    let stop = () => {};
    let service: RunningService | undefined;
    const ctx = context({ GITHUB_TOKEN: "ghp_test", RECONCILER_WEBHOOK_SECRET: SECRET });
    let ctxRun: Promise<number> = Promise.resolve(-1);
    const listening = new Promise<void>((resolve) => {
      const register = serveCommand({
        createBackend: () => ({
          runner,
          headOf: async () => "f".repeat(40),
          fabricSettings: async () => undefined,
        }),
        onStopSignal: (s) => {
          stop = s;
        },
        onListening: (s) => {
          service = s;
          resolve();
        },
      });
      ctxRun = run(ctx, register);
    });
    await listening;

    const body = JSON.stringify(example("pull_request", (p) => p.action === "opened"));
    const response = await fetch(`${service!.url}/webhook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": "serve-1",
        "x-hub-signature-256": await new Webhooks({ secret: SECRET }).sign(body),
      },
      body,
    });
    expect(response.status).toBe(202);
    await service!.queue.idle();
    expect(fake.repo(REPO).comments.get(2)).toHaveLength(1);

    stop();
    expect(await ctxRun).toBe(0);
    const lines = ctx.out
      .join("")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.some((l) => l.msg === "service listening")).toBe(true);
    const ended = lines.find((l) => l.msg === "plan run ended: changes");
    expect(ended).toMatchObject({
      service: "reconciler",
      kind: "plan",
      trigger: "pull-request",
      runId: expect.any(String),
    });
    expect(ctx.out.join("")).not.toContain("ghp_test");
  });

  it("runs without GitHub credentials, with a warning naming the variables, and keeps serving through a fault nobody handled", async () => {
    await writeConfig("repo: /srv/fabric\nlisten: { port: 0 }\nshutdownGraceSeconds: 1\n");
    const ctx = context({});
    const events = new EventEmitter();
    const runner = new RecordingRunner();
    let stop = () => {};
    let service: RunningService | undefined;
    let exited: Promise<number> = Promise.resolve(-1);
    await new Promise<void>((resolve) => {
      exited = run(
        ctx,
        serveCommand({
          createBackend: () => ({
            runner,
            headOf: async () => "f".repeat(40),
            fabricSettings: async () => undefined,
          }),
          onStopSignal: (s) => {
            stop = s;
          },
          onListening: (s) => {
            service = s;
            resolve();
          },
          processEvents: events,
        }),
      );
    });
    // a drift check runs with nothing posted anywhere
    service!.requestDriftCheck();
    await service!.queue.idle();
    expect(runner.calls.some((c) => c.op === "drift")).toBe(true);
    // what Node would do with a promise that failed with nobody listening (@xmpp/connection's start())
    events.emit("unhandledRejection", new Error("read ECONNRESET"), Promise.resolve());
    events.emit("uncaughtException", new Error("socket callback threw"));
    expect((await fetch(`${service!.url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${service!.url}/metrics`)).text();
    expect(metrics).toContain('reconciler_unhandled_faults_total{kind="unhandled-rejection"} 1');
    expect(metrics).toContain('reconciler_unhandled_faults_total{kind="uncaught-exception"} 1');
    stop();
    expect(await exited).toBe(0);
    expect(events.listenerCount("unhandledRejection")).toBe(0);
    const lines = ctx.out
      .join("")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines.find((l) => /no GitHub credentials/.test(l.msg))).toMatchObject({ level: 40 });
    expect(lines.find((l) => l.fault === "unhandled-rejection")).toMatchObject({
      level: 50,
      err: { message: "read ECONNRESET" },
    });
  });

  it("refuses a secret written in the config file", async () => {
    await writeConfig("repo: /srv/fabric\nwebhook: { secret: hunter2 }\n");
    const ctx = context({ GITHUB_TOKEN: "t" });
    const code = await run(ctx, serveCommand());
    expect(code).toBe(1);
    expect(ctx.err.join("")).toContain(
      "webhook.secret looks like a secret; set it in the environment instead",
    );
  });

  it("names a config file that does not exist", async () => {
    const ctx = context({ GITHUB_TOKEN: "t" });
    const code = await run(ctx, serveCommand(), "missing.yaml");
    expect(code).toBe(1);
    expect(ctx.err.join("")).toBe(
      "reconciler serve: cannot read missing.yaml (ENOENT); pass an existing --config file\n",
    );
  });

  it("removes the values of every secret it holds from comments, statuses, logs and pages", async () => {
    const secretsDir = join(dir, "secrets");
    await mkdir(secretsDir);
    const keyValue = "file-held-webhook-secret-42";
    await writeFile(join(secretsDir, "hook"), `${keyValue}\n`);
    const held = {
      token: "ghp_0123456789abcdefABCDEF0123456789abcd",
      xmpp: "xmpp-password-in-env",
      leaf: "leaf1-password-in-env",
    };
    await writeConfig(
      [
        "repo: /srv/fabric",
        "listen: { port: 0 }",
        `github: { repo: ${REPO}, branch: master, apiUrl: "${fake.url}" }`,
        "shutdownGraceSeconds: 1",
      ].join("\n"),
    );
    // A refusal whose message carries every secret, as an error from a library might.
    const runner = new RecordingRunner();
    const everything = `${held.token} ${keyValue} ${held.xmpp} ${held.leaf}`;
    runner.planOutcome = () => ({
      ok: false,
      code: "unreachable",
      exitCode: 5,
      message: `cannot connect: ${everything} ${JSON.stringify(everything)}`,
    });
    const ctx = context({
      GITHUB_TOKEN: held.token,
      RECONCILER_WEBHOOK_SECRET_FILE: join(secretsDir, "hook"),
      RECONCILER_XMPP_PASSWORD: held.xmpp,
      LEAF1_XMPP_PASSWORD: held.leaf,
    });
    let stop = () => {};
    let service: RunningService | undefined;
    let exited: Promise<number> = Promise.resolve(-1);
    await new Promise<void>((resolve) => {
      exited = run(
        ctx,
        serveCommand({
          createBackend: () => ({
            runner,
            headOf: async () => "f".repeat(40),
            fabricSettings: async () => undefined,
          }),
          onStopSignal: (s) => {
            stop = s;
          },
          onListening: (s) => {
            service = s;
            resolve();
          },
        }),
      );
    });
    const body = JSON.stringify(example("pull_request", (p) => p.action === "opened"));
    const response = await fetch(`${service!.url}/webhook`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "pull_request",
        "x-github-delivery": "redact-1",
        "x-hub-signature-256": await new Webhooks({ secret: keyValue }).sign(body),
      },
      body,
    });
    expect(response.status).toBe(202);
    await service!.queue.idle();
    const runs = (await (await fetch(`${service!.url}/api/runs`)).json()) as { id: string }[];
    const pages = await Promise.all(
      ["/", "/runs", "/api/runs", `/runs/${runs[0]!.id}`, `/api/runs/${runs[0]!.id}`].map(async (p) =>
        (await fetch(`${service!.url}${p}`)).text(),
      ),
    );
    stop();
    await exited;
    const comment = fake.repo(REPO).comments.get(2)![0]!.body!;
    const statuses = JSON.stringify([...fake.repo(REPO).statuses.values()]);
    expect(comment).toContain("cannot connect: <redacted> <redacted> <redacted> <redacted>");
    expect(pages[3]).toContain("cannot connect: &lt;redacted&gt;");
    for (const [where, text] of [
      ["comment", comment],
      ["statuses", statuses],
      ["pages", pages.join("\n")],
      ["log", ctx.out.join("")],
      ["stderr", ctx.err.join("")],
    ] as const) {
      for (const value of [...Object.values(held), keyValue])
        expect(text, `${where} holds ${value}`).not.toContain(value);
    }
  });
});

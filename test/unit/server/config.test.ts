import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseServiceConfig, readServiceSecrets } from "../../../reconciler/src/server/config.ts";

describe("parseServiceConfig", () => {
  it("fills defaults: loopback, port 8080, /webhook, no poller", () => {
    const result = parseServiceConfig("repo: https://github.com/octo/fabric.git\n");
    expect(result).toEqual({
      ok: true,
      config: {
        repo: "https://github.com/octo/fabric.git",
        listen: { host: "127.0.0.1", port: 8080 },
        github: {},
        webhook: { path: "/webhook" },
        poll: { intervalSeconds: 0 },
        shutdownGraceSeconds: 120,
      },
    });
  });

  it("reads every setting", () => {
    const result = parseServiceConfig(
      [
        "repo: /srv/fabric",
        "stateDir: /var/lib/reconciler",
        "listen: { host: 0.0.0.0, port: 9000 }",
        "github: { repo: octo/fabric, branch: main, driftIssueTitle: Drift, apiUrl: https://ghe.example/api/v3, commentAuthor: 'app[bot]' }",
        "webhook: { path: /hooks/github }",
        "poll: { intervalSeconds: 60 }",
        'drift: { schedule: "*/5 * * * *", selfHeal: true }',
        "shutdownGraceSeconds: 30",
      ].join("\n"),
    );
    expect(result.ok && result.config).toMatchObject({
      listen: { host: "0.0.0.0", port: 9000 },
      github: { repo: "octo/fabric", apiUrl: "https://ghe.example/api/v3", commentAuthor: "app[bot]" },
      poll: { intervalSeconds: 60 },
      drift: { schedule: "*/5 * * * *", selfHeal: true },
    });
  });

  it("refuses secrets in the file and says where they go", () => {
    const result = parseServiceConfig(
      "repo: x\ngithub:\n  token: ghp_abc\nwebhook:\n  secret: s3\n",
      "serve.yaml",
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        "serve.yaml: github.token looks like a secret; set it in the environment instead (see reconciler serve --help)",
        "serve.yaml: webhook.secret looks like a secret; set it in the environment instead (see reconciler serve --help)",
      ],
    });
  });

  it("names each bad value", () => {
    const result = parseServiceConfig(
      "listen: { port: 70000 }\ndrift: { selfHeal: yes please }\n",
      "serve.yaml",
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        "serve.yaml: repo is required (the desired-state repo: a git URL or a local path)",
        "serve.yaml: drift.selfHeal must be true or false",
        "serve.yaml: listen.port must be a whole number from 0 to 65535",
      ],
    });
  });

  it("reports YAML syntax errors", () => {
    const result = parseServiceConfig("repo: [unclosed\n", "serve.yaml");
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors[0]).toMatch(/^serve.yaml: not valid YAML: /);
  });
});

describe("readServiceSecrets", () => {
  it("takes a token and the webhook secret from the environment", () => {
    expect(readServiceSecrets({ GITHUB_TOKEN: "ghp_1", RECONCILER_WEBHOOK_SECRET: "s" })).toEqual({
      ok: true,
      secrets: { webhookSecret: "s", github: { kind: "token", token: "ghp_1" } },
    });
  });

  it("reads a GitHub App key from a file named by the environment", async () => {
    const dir = await mkdtemp(join(tmpdir(), "secrets-"));
    await writeFile(
      join(dir, "key.pem"),
      "-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----\n",
    );
    const result = readServiceSecrets({
      GITHUB_APP_ID: "12",
      GITHUB_APP_INSTALLATION_ID: "34",
      GITHUB_APP_PRIVATE_KEY_FILE: join(dir, "key.pem"),
    });
    expect(result.ok && result.secrets.github).toMatchObject({
      kind: "app",
      appId: "12",
      installationId: 34,
    });
    await rm(dir, { recursive: true });
  });

  it("says what is missing for a GitHub App and when a secret file cannot be read", () => {
    expect(
      readServiceSecrets({ GITHUB_APP_ID: "12", RECONCILER_WEBHOOK_SECRET_FILE: "/nonexistent/secret" }),
    ).toEqual({
      ok: false,
      errors: [
        "RECONCILER_WEBHOOK_SECRET_FILE: cannot read /nonexistent/secret: ENOENT",
        "GITHUB_APP_INSTALLATION_ID must be set to the installation's number when GITHUB_APP_ID is set",
        "GITHUB_APP_PRIVATE_KEY or GITHUB_APP_PRIVATE_KEY_FILE must be set when GITHUB_APP_ID is set",
      ],
    });
  });
});

import { execFileSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createRedactor, excerpt, secretsOfEnvironment } from "../../../reconciler/src/redaction/index.ts";

describe("bounded excerpts", () => {
  it("quotes a short value whole, as JSON", () => {
    expect(excerpt("starttls-x")).toBe('"starttls-x"');
  });

  it("never quotes more than the bound of a long value, and says how long it was", () => {
    const value = `GITHUB_TOKEN=ghp_${"a".repeat(200)}`;
    const text = excerpt(value, 20);
    expect(text.length).toBeLessThan(60);
    expect(text).toContain("… (217 characters)");
    expect(text).not.toContain("a".repeat(30));
  });

  it("masks EOS secret patterns inside the excerpt", () => {
    expect(excerpt("username admin secret 0 Swordfish")).not.toContain("Swordfish");
  });
});

describe("the process redactor", () => {
  it("removes every registered secret value, also JSON-escaped", () => {
    const redactor = createRedactor(["ghp_tokenvalue123", 'pass"word\\x']);
    const text = `token ghp_tokenvalue123 in ${JSON.stringify({ pw: 'pass"word\\x' })}`;
    const out = redactor.redact(text);
    expect(out).not.toContain("ghp_tokenvalue123");
    expect(out).not.toContain("word");
    expect(out).toContain("<redacted>");
  });

  it("removes a secret added after creation (a password read from a file: reference)", () => {
    const redactor = createRedactor();
    expect(redactor.redact("pw=late-secret-1")).toBe("pw=late-secret-1");
    redactor.add("late-secret-1\n");
    expect(redactor.redact("pw=late-secret-1")).toBe("pw=<redacted>");
  });

  it("removes a PEM private key whole, and any one line of a registered key", () => {
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 1024 });
    const pem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const redactor = createRedactor([pem]);
    const line = pem.split("\n")[3]!;
    expect(redactor.redact(`key: ${pem}`)).not.toContain(line);
    expect(redactor.redact(`one line: ${line}`)).toBe("one line: <redacted>");
    expect(createRedactor().redact(pem)).not.toContain(line);
  });

  it("also applies the EOS secret patterns", () => {
    expect(createRedactor().redact("snmp-server community public ro")).toContain("<redacted>");
  });

  it("leaves very short values alone, so reports stay readable", () => {
    expect(createRedactor(["abc"]).redact("abc def")).toBe("abc def");
  });

  it("removes a secret as HTML, markdown and a URL show it", () => {
    const secret = `p<a>&"s'w|rd`;
    const redactor = createRedactor([secret]);
    for (const shown of [
      "p&lt;a&gt;&amp;&quot;s&#39;w|rd",
      `p&lt;a&gt;&amp;"s'w|rd`,
      "p<a>&\"s'w\\|rd",
      encodeURIComponent(secret),
    ])
      expect(redactor.redact(`x ${shown} y`)).toBe("x <redacted> y");
  });

  it("removes GitHub tokens it was never told (an App's installation token)", () => {
    const token = `ghs_${"A1b2".repeat(9)}`;
    expect(createRedactor().redact(`Authorization: token ${token}`)).toBe("Authorization: token <redacted>");
  });
});

describe("the environment's secrets", () => {
  it("takes secret-named variables and the regular files their _FILE forms name, nothing else", () => {
    const dir = mkdtempSync(join(tmpdir(), "env-secrets-"));
    try {
      writeFileSync(join(dir, "key"), "file-held-private-key");
      execFileSync("mkfifo", [join(dir, "fifo")]);
      const values = secretsOfEnvironment({
        GITHUB_TOKEN: "ghp_env",
        RECONCILER_WEBHOOK_SECRET: "hook-secret",
        RECONCILER_XMPP_PASSWORD: "xmpp-pw",
        LEAF1_XMPP_PASSWORD: "leaf1-pw",
        GITHUB_APP_PRIVATE_KEY_FILE: join(dir, "key"),
        RECONCILER_SECRETS_DIR: "/run/secrets",
        HOME: "/home/reconciler",
        GITHUB_TOKEN_FILE: join(dir, "missing"),
        RECONCILER_XMPP_PASSWORD_FILE: join(dir, "fifo"),
      });
      expect(values.sort()).toEqual(
        ["file-held-private-key", "ghp_env", "hook-secret", "leaf1-pw", "xmpp-pw"].sort(),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

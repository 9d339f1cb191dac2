import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  parseSecretRef,
  resolveSecret,
  SecretUnavailableError,
} from "../../../reconciler/src/fabric/index.ts";

const dir = mkdtempSync(join(tmpdir(), "fabric-secret-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("secret references", () => {
  it("parses env: and file: references and nothing else", () => {
    expect(parseSecretRef("env:LEAF1_XMPP_PASSWORD")).toEqual({ kind: "env", name: "LEAF1_XMPP_PASSWORD" });
    expect(parseSecretRef("file:/etc/reconciler/pw")).toEqual({ kind: "file", path: "/etc/reconciler/pw" });
    expect(parseSecretRef("Stefan2020")).toBeUndefined();
    expect(parseSecretRef("env:1BAD")).toBeUndefined();
  });

  it("reads an environment variable", () => {
    expect(resolveSecret({ kind: "env", name: "PW" }, { PW: "s3cret" })).toBe("s3cret");
  });

  it("names the missing variable", () => {
    expect(() => resolveSecret({ kind: "env", name: "LEAF1_XMPP_PASSWORD" }, {})).toThrow(
      new SecretUnavailableError(
        { kind: "env", name: "LEAF1_XMPP_PASSWORD" },
        "secret env:LEAF1_XMPP_PASSWORD is not set: export LEAF1_XMPP_PASSWORD in the reconciler's environment",
      ),
    );
  });

  it("reads a file without its trailing newline", () => {
    const path = join(dir, "pw");
    writeFileSync(path, "from-file\n");
    expect(resolveSecret({ kind: "file", path }, {})).toBe("from-file");
  });

  it("names the file that cannot be read", () => {
    const path = join(dir, "missing");
    expect(() => resolveSecret({ kind: "file", path }, {})).toThrow(
      `secret file:${path} cannot be read (ENOENT)`,
    );
  });

  it("reads a relative path inside the configured secrets directory, never the working directory", () => {
    const secrets = join(dir, "secrets");
    mkdirSync(join(secrets, "xmpp"), { recursive: true });
    writeFileSync(join(secrets, "xmpp", "pw"), "in-secrets-dir\n");
    writeFileSync(join(process.cwd(), "not-a-secret-here"), "from-cwd");
    try {
      expect(resolveSecret({ kind: "file", path: "xmpp/pw" }, {}, { secretsDir: secrets })).toBe(
        "in-secrets-dir",
      );
      expect(() => resolveSecret({ kind: "file", path: "not-a-secret-here" }, {})).toThrow(
        "secret file:not-a-secret-here is relative and no secrets directory is configured: set RECONCILER_SECRETS_DIR (or --secrets-dir, or secretsDir in the service config), or write an absolute path",
      );
    } finally {
      rmSync(join(process.cwd(), "not-a-secret-here"));
    }
  });

  it("refuses a path that climbs out with .., before reading anything", () => {
    const secrets = join(dir, "secrets2");
    mkdirSync(secrets);
    writeFileSync(join(dir, "outside"), "outside-value");
    const read: string[] = [];
    for (const path of ["../outside", `${secrets}/../outside`]) {
      expect(() =>
        resolveSecret({ kind: "file", path }, {}, { secretsDir: secrets, onRead: (v) => read.push(v) }),
      ).toThrow(`secret file:${path} is refused: it climbs out of the secrets directory with ..`);
    }
    expect(read).toEqual([]);
  });

  it("refuses a FIFO without waiting for a writer", () => {
    const fifo = join(dir, "fifo");
    execFileSync("mkfifo", [fifo]);
    expect(() => resolveSecret({ kind: "file", path: fifo }, {})).toThrow(
      `secret file:${fifo} cannot be read (not a regular file)`,
    );
  });

  it("tells the redactor every value it reads", () => {
    const read: string[] = [];
    resolveSecret({ kind: "env", name: "PW" }, { PW: "told-value" }, { onRead: (v) => read.push(v) });
    expect(read).toEqual(["told-value"]);
  });
});

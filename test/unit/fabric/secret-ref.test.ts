import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
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
});

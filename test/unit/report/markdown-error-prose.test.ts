/**
 * The input-error table of PR comments and job summaries masks secret values in its prose, never the
 * EOS secret-line patterns: those would turn "xmpp.password holds a secret value in git" into
 * "xmpp.password <redacted> a secret <redacted>". Real validation errors (loadFabric on a real repo),
 * the real process redactor and the real EOS patterns.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redactSecrets } from "../../../reconciler/src/eos/index.ts";
import type { FabricError } from "../../../reconciler/src/fabric/index.ts";
import { loadFabric } from "../../../reconciler/src/fabric/index.ts";
import { createRedactor } from "../../../reconciler/src/redaction/index.ts";
import { renderErrorsMarkdown, renderRefusalMarkdown } from "../../../reconciler/src/report/markdown.ts";
import { renderStepSummary } from "../../../reconciler/src/report/step-summary.ts";

const SECRET = "Xq7-process-held-password-81";
const INLINE = "hunter2-typed-into-git";
let root: string;
let errors: FabricError[];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "error-prose-"));
  await cp("fabric-repo-example", root, { recursive: true });
  const path = join(root, "fabric.yaml");
  const text = await readFile(path, "utf8");
  await writeFile(path, text.replace("password: env:RECONCILER_XMPP_PASSWORD", `password: ${INLINE}`));
  const loaded = await loadFabric(root);
  if (loaded.ok) throw new Error("an inline password must be an error");
  errors = loaded.errors;
});
afterAll(() => rm(root, { recursive: true, force: true }));

function redactorHolding(...values: string[]) {
  const redactor = createRedactor();
  for (const value of values) redactor.add(value);
  return redactor;
}

describe("the input-error table", () => {
  it("keeps the prose of a real validation error as written", () => {
    const redactor = redactorHolding(SECRET);
    const md = renderErrorsMarkdown(errors, { redact: redactor.redact, redactValues: redactor.redactValues });
    expect(md).toContain("| `inline-secret` | xmpp.password holds a secret value in git |");
    expect(md).toContain("write password: env:RECONCILER_XMPP_PASSWORD");
    expect(md).not.toContain("redacted");
    // The value itself was never quoted by the validator.
    expect(md).not.toContain(INLINE);
  });

  it("keeps the prose without a process redactor too (token formats and keys only)", () => {
    const md = renderErrorsMarkdown(errors, { redact: redactSecrets });
    expect(md).toContain("xmpp.password holds a secret value in git");
    expect(md).not.toContain("redacted");
  });

  it("still removes a secret value the process holds, a token and a private key quoted in a message", () => {
    const redactor = redactorHolding(SECRET);
    const token = `ghp_${"a1B2".repeat(9)}`;
    const key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----";
    const quoting: FabricError[] = [
      {
        code: "secret-path",
        message: `cannot read file:/etc/pass: it holds ${SECRET} and ${token}; key ${key}`,
        hint: "Fix it.",
        position: { file: "fabric.yaml", line: 3, col: 5 },
      },
    ];
    const md = renderErrorsMarkdown(quoting, {
      redact: redactor.redact,
      redactValues: redactor.redactValues,
    });
    expect(md).toContain("cannot read file:/etc/pass: it holds &lt;redacted&gt; and &lt;redacted&gt;");
    for (const leaked of [SECRET, token, "MIIEpAIBAAKCAQEA7"]) expect(md).not.toContain(leaked);
    // Without the process redactor the formats still go; a registered value needs the redactor.
    const bare = renderErrorsMarkdown(quoting, { redact: redactSecrets });
    expect(bare).not.toContain(token);
    expect(bare).not.toContain("MIIEpAIBAAKCAQEA7");
  });

  it("as part of a refusal comment and a job summary", () => {
    const redactor = redactorHolding(SECRET);
    const options = { redact: redactor.redact, redactValues: redactor.redactValues };
    const refusal = renderRefusalMarkdown(
      {
        ok: false,
        code: "invalid-input",
        exitCode: 1,
        message: `the desired state at abc1234 is invalid (1 errors); the password ${SECRET} was seen`,
        errors,
      },
      "Plan",
      options,
    );
    expect(refusal).toContain("the password <redacted> was seen");
    expect(refusal).toContain("xmpp.password holds a secret value in git");
    const summary = renderStepSummary({ errors, failure: "invalid input" }, options);
    expect(summary).toContain("xmpp.password holds a secret value in git");
    expect(summary).not.toContain("redacted&gt; a secret");
  });
});

import { configTreeOf, walkConfigTree } from "../config-tree.ts";
import { fabricError } from "../errors.ts";
import { findInlineSecret, secretKeyPattern, secretRefPattern } from "../policy.ts";
import { fieldName, pathKey } from "../schema-check.ts";
import { secretPathProblem } from "../secret-ref.ts";
import type { FabricError } from "../types.ts";
import { type ParsedYaml, positionAt, walkPairs } from "../yaml-position.ts";
import { configSources, type FabricRule, removeSources } from "./rule.ts";

/** fabric.yaml fields naming a file the reconciler reads from the repo (the trust boundary checks them too). */
const REPO_FILE_FIELDS = new Set(["xmpp.caFile", "xmpp.clientCert.cert", "xmpp.clientCert.key"]);

const rotate = "The value is now in the git history: rotate it as well.";

/**
 * A YAML key such as `password:` whose value is not env:NAME / file:/path. Runs on the raw YAML, before the
 * schema, so that the error says "secret" rather than "pattern mismatch"; the returned paths tell the schema
 * check not to report the same field again. Messages never repeat the value.
 */
export function findInlineSecretKeys(parsed: ParsedYaml): { errors: FabricError[]; paths: Set<string> } {
  const errors: FabricError[] = [];
  const paths = new Set<string>();
  walkPairs(parsed, (path, key, value) => {
    if (parsed.file === "fabric.yaml" && REPO_FILE_FIELDS.has(path.join("."))) {
      const text = (value as { value?: unknown } | null)?.value;
      if (typeof text === "string" && text.split(/[\\/]/).includes("..")) {
        paths.add(pathKey(path));
        errors.push(
          fabricError(
            "repo-path",
            positionAt(parsed, path),
            `${fieldName(path)} climbs out of the repo with ..`,
            "Commit the file inside the repo and name it from the repo root (pki/ca.pem), or give an absolute path on the reconciler's host",
          ),
        );
      }
      return;
    }
    if (!secretKeyPattern.test(key)) return;
    const text = (value as { value?: unknown } | null)?.value;
    if (typeof text !== "string" && typeof text !== "number") return;
    if (typeof text === "string" && text.startsWith("file:") && secretRefPattern.test(text)) {
      const problem = secretPathProblem(text.slice(5));
      if (!problem) return;
      paths.add(pathKey(path));
      errors.push(
        fabricError(
          "secret-path",
          positionAt(parsed, path),
          // Worded so that the EOS secret patterns reports apply ("password X") leave it readable.
          `${fieldName(path)}: file: reference outside the secrets directory (${problem})`,
          "Write file:NAME for a file in the reconciler's secrets directory (RECONCILER_SECRETS_DIR, --secrets-dir, or the service's secretsDir), or file:/absolute/path; never a path with ..",
        ),
      );
      return;
    }
    if (typeof text === "string" && (text === "" || secretRefPattern.test(text))) return;
    paths.add(pathKey(path));
    errors.push(
      fabricError(
        "inline-secret",
        positionAt(parsed, path),
        `${fieldName(path)} holds a secret value in git`,
        `Keep secrets out of git: write ${key}: env:${suggestEnvName(parsed.file, path)} (or file:/path/to/secret) and provide the value to the reconciler. ${rotate}`,
      ),
    );
  });
  return { errors, paths };
}

/** devices/leaf1.yaml xmpp.password → LEAF1_XMPP_PASSWORD; fabric.yaml xmpp.password → RECONCILER_XMPP_PASSWORD. */
function suggestEnvName(file: string, path: (string | number)[]): string {
  const base = file === "fabric.yaml" ? "reconciler" : (file.split("/").at(-1) ?? "").replace(/\.ya?ml$/, "");
  const tail = path.filter((part) => typeof part === "string" && part !== "vars");
  return [base, ...tail]
    .join("_")
    .toUpperCase()
    .replace(/[^A-Z0-9_]/g, "_");
}

/** A config line that carries a password, secret, key or community (DESIGN §3: no inline secrets). */
export const noInlineSecrets: FabricRule = {
  name: "noInlineSecrets",
  check({ fabric }) {
    const configLines = configSources(fabric).flatMap(({ lines }) =>
      [...walkConfigTree(configTreeOf(lines).nodes)].flatMap(({ node }) => (node.isVerbatim ? [] : [node])),
    );
    // A remove: entry that names a secret line puts the secret in git as much as a config line does.
    const removeEntries = removeSources(fabric).flatMap(({ lines }) =>
      lines.map((line) => ({ text: line.text.trim(), position: line.position })),
    );
    const errors = [...configLines, ...removeEntries].flatMap((node) => {
      const secret = findInlineSecret(node.text);
      if (!secret) return [];
      const keyword = node.text.split(/\s+/).slice(0, 2).join(" ");
      return [
        fabricError(
          "inline-secret",
          node.position,
          `config line "${keyword} …" sets ${secret.what} in git`,
          `Remove the line: secrets (also type 7, which is reversible) never go in git. Set them on the switch out of band and add a fabric.yaml ignore pattern for the line. ${rotate}`,
        ),
      ];
    });
    return { errors };
  },
};

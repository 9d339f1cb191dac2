import { describe, expect, it } from "vitest";
import { parseConfig, redactSecrets, renderConfig } from "../../../reconciler/src/eos/index.ts";

describe("redactSecrets", () => {
  it.each([
    ["   password 7 0822455D0A16", "   password 7 <redacted>"],
    [
      "username admin privilege 15 role network-admin secret sha512 $6$abc",
      "username admin privilege 15 role network-admin secret sha512 <redacted>",
    ],
    ["username ops secret 5 $1$xyz", "username ops secret 5 <redacted>"],
    ["tacacs-server key 7 070C285F4D06", "tacacs-server key 7 <redacted>"],
    ["snmp-server community s3cret ro", "snmp-server community <redacted> ro"],
    ["   neighbor 10.0.0.1 password 7 AbCd==", "   neighbor 10.0.0.1 password 7 <redacted>"],
    ["ntp authentication-key 1 md5 7 0A1B2C", "ntp authentication-key 1 md5 7 <redacted>"],
    ["   ip ospf message-digest-key 1 md5 7 0A1B", "   ip ospf message-digest-key 1 md5 7 <redacted>"],
    [
      "   switch-group leafs@groups.lab password 0 plain",
      "   switch-group leafs@groups.lab password 0 <redacted>",
    ],
    [
      "snmp-server user u g v3 auth sha A1 priv aes P1",
      "snmp-server user u g v3 auth sha <redacted> priv aes <redacted>",
    ],
    ["   ssh-key ssh-rsa AAAAB3Nza user@host", "   ssh-key <redacted>"],
    ["   sshkey ssh-ed25519 AAAAC3Nz", "   sshkey <redacted>"],
    ["   description uplink to spine1", "   description uplink to spine1"],
  ])("%s", (line, redacted) => {
    expect(redactSecrets(line)).toBe(redacted);
    expect(redactSecrets(redacted)).toBe(redacted);
  });

  it("redacts a whole rendered config, leaving everything else", () => {
    const tree = parseConfig("management xmpp\n   username leaf1@lab\n   password 7 0A1B\nhostname leaf1\n");
    expect(renderConfig(tree, { redact: true })).toBe(
      "management xmpp\n   username leaf1@lab\n   password 7 <redacted>\n!\nhostname leaf1\n!\n",
    );
  });
});

describe("secrets in messages", () => {
  it("are redacted in scope differences and parse errors", async () => {
    const { compareInScope, tryParseConfig } = await import("../../../reconciler/src/eos/index.ts");
    const scope = { sections: ["management xmpp"], ignore: [] };
    const check = compareInScope(
      parseConfig("management xmpp\n   password 7 AAAA\n"),
      parseConfig("management xmpp\n   password 7 BBBB\n"),
      scope,
    );
    expect(check.firstDifference).toBe(
      'differs: expected "management xmpp › password 7 <redacted>" (expected line 2), actual has "password 7 <redacted>" (actual line 2)',
    );
    const parsed = tryParseConfig("hostname a\n!\n   secret 5 XYZ\n");
    expect(parsed.ok ? "" : parsed.error.message).toBe(
      'line 3: "secret 5 <redacted>" is indented but has no parent line above it',
    );
  });
});

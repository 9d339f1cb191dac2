// biome-ignore-all lint/suspicious/noTemplateCurlyInString: fabric config uses ${name} variables, not JS templates.
import { describe, expect, it } from "vitest";
import { validateFabric } from "../../../reconciler/src/fabric/index.ts";
import { minimalFiles } from "../../fixtures/fabric/minimal.ts";
import { errorsOf, validFabric, describe as where } from "./expect-validation.ts";

const fabricYaml = minimalFiles["fabric.yaml"]!;
const leaf2 = (extra: string) => `groups: [leaf]\nvars:\n  asn: 65102\n  loopback0: 10.255.1.2\n${extra}`;

describe("references between files", () => {
  it("reports a device in an unknown group at the list item, with a suggestion", () => {
    const errors = errorsOf({
      "devices/leaf2.yaml": "groups: [leaf, rwo1]\nvars: {asn: 1, loopback0: 1.1.1.1}\n",
    });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:1:16 unknown-group"]);
    expect(errors[0]!.message).toBe('device leaf2 is in group "rwo1", which has no file groups/rwo1.yaml');
    expect(errors[0]!.hint).toBe('Did you mean "row1"? Otherwise create groups/rwo1.yaml.');
  });

  it("reports two devices with the same hostname at the second one", () => {
    const errors = errorsOf({ "devices/leaf2.yaml": leaf2("hostname: LEAF1\n") });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:5:11 duplicate-hostname"]);
    expect(errors[0]!.message).toBe("hostname LEAF1 is also the hostname of leaf1");
  });

  it("reports two devices with the same JID", () => {
    const errors = errorsOf({ "devices/leaf2.yaml": leaf2("xmpp:\n  user: leaf1\n") });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:6:9 duplicate-jid"]);
    expect(errors[0]!.message).toBe("XMPP account leaf1@securitydemo.lab is also the account of leaf1");
  });

  it("reports a device that uses the reconciler's account", () => {
    const errors = errorsOf({ "devices/leaf2.yaml": leaf2("xmpp:\n  user: reconciler\n") });
    expect(errors.map(where)).toEqual(["devices/leaf2.yaml:6:9 duplicate-jid"]);
  });

  it("reports a reconciler JID outside the fabric's domain", () => {
    const errors = errorsOf({
      "fabric.yaml": fabricYaml.replace("reconciler@securitydemo.lab", "reconciler@other.lab"),
    });
    expect(errors.map(where)).toEqual(["fabric.yaml:6:18 foreign-domain-jid"]);
  });

  it("reports a rollout group that has no members, and one that does not exist", () => {
    const errors = errorsOf({
      "fabric.yaml": fabricYaml.replace("order: [spine, leaf]", "order: [spine, leaf, empty, nope]"),
      "groups/empty.yaml": "description: nobody\n",
    });
    expect(errors.map(where)).toEqual([
      "fabric.yaml:16:24 empty-rollout-group",
      "fabric.yaml:16:31 unknown-group",
    ]);
    expect(errors[0]!.hint).toBe(
      'Add "empty" to the groups: of at least one device, or remove it from rollout.order.',
    );
  });

  it("warns about a group with no members and a device outside the rollout order", () => {
    const { warnings } = validFabric({
      "groups/unused.yaml": "description: nobody\n",
      "devices/oob1.yaml": "groups: [row1]\n",
    });
    expect(warnings.map(where)).toEqual([
      "devices/oob1.yaml:1:9 not-in-rollout-order",
      "groups/unused.yaml:1:1 unused-group",
    ]);
  });
});

describe("variables", () => {
  it("reports an unknown variable at the reference, once, naming every device that lacks it", () => {
    const errors = errorsOf({
      "groups/leaf.yaml": "config: |\n  router bgp ${asn}\n     router-id ${loopbak0}\n",
    });
    expect(errors.map(where)).toEqual(["groups/leaf.yaml:3:16 unknown-variable"]);
    expect(errors[0]!.message).toBe("unknown variable ${loopbak0} for leaf1, leaf2");
    expect(errors[0]!.hint).toMatch(/^Did you mean \$\{loopback0\}\?/);
  });

  it("reports a variable that only some members define", () => {
    const errors = errorsOf({ "devices/leaf2.yaml": "groups: [leaf]\nvars:\n  loopback0: 10.255.1.2\n" });
    expect(errors.map(where)).toEqual(["groups/leaf.yaml:5:14 unknown-variable"]);
    expect(errors[0]!.message).toBe("unknown variable ${asn} for leaf2");
  });

  it("names at most a few devices", () => {
    const extra = Object.fromEntries(
      Array.from({ length: 6 }, (_, i) => [`devices/x${i}.yaml`, "groups: [row1]\n"] as const),
    );
    const errors = errorsOf({ ...extra, "groups/row1.yaml": "config: |\n  ntp server ${nope}\n" });
    expect(errors.map((e) => e.message)).toEqual([
      "unknown variable ${nope} for leaf1, spine1, x0, x1, 4 more",
    ]);
  });

  it("refuses a malformed reference", () => {
    const errors = errorsOf({ "groups/row1.yaml": "config: |\n  ntp server ${ntp\n" });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:2:14 bad-variable"]);
  });
});

describe("secrets", () => {
  it("refuses a password value in YAML without repeating it", () => {
    const errors = errorsOf({
      "devices/leaf1.yaml": minimalFiles["devices/leaf1.yaml"]!.replace(
        "env:LEAF1_XMPP_PASSWORD",
        "Stefan2020",
      ),
    });
    expect(errors.map(where)).toEqual(["devices/leaf1.yaml:3:13 inline-secret"]);
    expect(errors[0]!.message).toBe("xmpp.password holds a secret value in git");
    expect(errors[0]!.hint).toContain("password: env:LEAF1_XMPP_PASSWORD");
    expect(JSON.stringify(errors)).not.toContain("Stefan2020");
  });

  it.each([["file:../../etc/shadow"], ["file:/run/secrets/../../etc/shadow"], ["file:pw/../../x"]])(
    "refuses the secret reference %s, which leaves the secrets directory",
    (ref) => {
      const errors = errorsOf({
        "devices/leaf1.yaml": minimalFiles["devices/leaf1.yaml"]!.replace("env:LEAF1_XMPP_PASSWORD", ref),
      });
      expect(errors.map(where)).toEqual(["devices/leaf1.yaml:3:13 secret-path"]);
      expect(errors[0]!.message).toBe(
        "xmpp.password: file: reference outside the secrets directory (it climbs out of the secrets directory with ..)",
      );
      expect(errors[0]!.hint).toContain("RECONCILER_SECRETS_DIR");
    },
  );

  it("refuses a CA path that climbs out of the repo", () => {
    const errors = errorsOf({
      "fabric.yaml": fabricYaml.replace(
        "  host: 127.0.0.1\n",
        "  host: 127.0.0.1\n  caFile: ../../etc/ssl/private/key.pem\n",
      ),
    });
    expect(errors.map((e) => `${e.code}: ${e.message}`)).toEqual([
      "repo-path: xmpp.caFile climbs out of the repo with ..",
    ]);
  });

  it("accepts file: references inside the secrets directory and absolute ones", () => {
    for (const ref of [
      "file:leaf1-password",
      "file:xmpp/leaf1",
      "file:/run/secrets/leaf1",
      "file:..data/pw",
    ]) {
      validFabric({
        "devices/leaf1.yaml": minimalFiles["devices/leaf1.yaml"]!.replace("env:LEAF1_XMPP_PASSWORD", ref),
      });
    }
  });

  it("refuses a secret-named variable", () => {
    const errors = errorsOf({ "groups/row1.yaml": "vars:\n  bgp_password: hunter2\n" });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:2:17 inline-secret"]);
  });

  it.each([
    ["neighbor SPINES password 7 0A1B2C3D", "a password"],
    ["username admin secret sha512 $6$abc", "a secret"],
    ["tacacs-server key 7 070C285F4D06", "a key"],
    ["snmp-server community public ro", "an SNMP community"],
  ])("refuses the config line %s", (line, what) => {
    const errors = errorsOf({ "groups/row1.yaml": `config: |\n  ${line}\n` });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:2:3 inline-secret"]);
    expect(errors[0]!.message).toContain(`sets ${what} in git`);
    expect(errors[0]!.message).not.toContain(line.split(" ").at(-1));
  });

  it("refuses a password 7 line under management xmpp", () => {
    const errors = errorsOf({ "groups/row1.yaml": "config: |\n  management xmpp\n     password 7 0A1B\n" });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:3:6 inline-secret"]);
  });

  it("does not take a description for a secret", () => {
    validFabric({
      "groups/row1.yaml": "config: |\n  interface Ethernet9\n     description password reset portal\n",
    });
  });
});

describe("control characters", () => {
  it.each([
    ["a newline", '"hostname x\\nreload"', "a newline (\\n) at character 11"],
    ["a carriage return", '"vlan 10\\r"', "a carriage return (\\r) at character 8"],
    ["a bell", '"vlan 10\\a"', "control character U+0007 at character 8"],
    ["a tab", '"vlan\\t10"', "a tab at character 5"],
  ])("refuses %s inside a CLI line", (_, item, detail) => {
    const errors = errorsOf({ "groups/row1.yaml": `config:\n  - ${item}\n` });
    expect(errors.map((e) => e.code)).toContain("control-character");
    const error = errors.find((e) => e.code === "control-character")!;
    expect(error.position).toMatchObject({ file: "groups/row1.yaml", line: 2 });
    expect(error.message).toBe(`CLI line contains ${detail}`);
  });

  it("refuses a newline in a variable, which would end up in a line", () => {
    const errors = errorsOf({ "groups/row1.yaml": 'vars:\n  extra: "10.0.0.1\\nreload"\n' });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:2:10 control-character"]);
    expect(errors[0]!.message).toBe("variable extra contains a newline (\\n) at character 9");
  });
});

describe("safety policy", () => {
  it.each([
    ["reload", "reload"],
    ["bash", "bash sudo rm -rf /mnt/flash"],
    ["run", "run show version"],
    ["write erase", "write erase now"],
    ["zerotouch", "zerotouch cancel"],
    ["delete", "delete flash:startup-config"],
    ["configure replace", "configure replace flash:rollback-0"],
    ["copy to startup-config", "copy running-config startup-config"],
  ])("refuses %s in config", (_, line) => {
    const errors = errorsOf({
      "groups/row1.yaml": `config: |\n  interface Ethernet9\n     description ok\n  ${line}\n`,
    });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:4:3 denied-command"]);
    expect(errors[0]!.message).toMatch(new RegExp(`^denied command "${line.replace(/[/]/g, "\\/")}": `));
  });

  it("refuses a denied command that a variable produces", () => {
    const errors = errorsOf({
      "groups/row1.yaml": "config: |\n  ${cmd} now\n",
      "devices/spine1.yaml": "groups: [spine, row1]\nvars:\n  loopback0: 10.255.0.1\n  cmd: reload\n",
      "devices/leaf1.yaml": "groups: [leaf, row1]\nvars:\n  asn: 1\n  loopback0: 1.1.1.1\n  cmd: reload\n",
    });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:2:3 denied-command"]);
    expect(errors[0]!.message).toMatch(/^denied command "reload now"/);
  });

  it("applies the fabric's own deny rules", () => {
    const errors = errorsOf({
      "fabric.yaml": `${fabricYaml}policy:\n  deny:\n    - pattern: '^boot system'\n      reason: upgrades are separate\n`,
      "groups/row1.yaml": "config: |\n  boot system flash:EOS.swi\n",
    });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:2:3 denied-command"]);
    expect(errors[0]!.message).toBe('denied command "boot system flash:EOS.swi": upgrades are separate');
  });

  it.each([
    ["shutdown under management xmpp", "  management xmpp\n     shutdown\n", "groups/row1.yaml:3:6"],
    ["no management xmpp", "  no management xmpp\n", "groups/row1.yaml:2:3"],
    ["no server", "  management xmpp\n     no server\n", "groups/row1.yaml:3:6"],
    ["another server", "  management xmpp\n     server 10.9.9.9\n", "groups/row1.yaml:3:6"],
    ["another domain", "  management xmpp\n     domain other.lab\n", "groups/row1.yaml:3:6"],
    [
      "another username",
      "  management xmpp\n     username someone@securitydemo.lab\n",
      "groups/row1.yaml:3:6",
    ],
    [
      "a change to the reconciler's own switch account",
      "  username reconciler privilege 1 nopassword\n",
      "groups/row1.yaml:2:3",
    ],
    ["removing the reconciler's own switch account", "  no username reconciler\n", "groups/row1.yaml:2:3"],
  ])("refuses %s (it would cut the reconciler off)", (_, config, position) => {
    const errors = errorsOf({ "groups/row1.yaml": `config: |\n${config}` });
    expect(errors.map(where)).toEqual([`${position} xmpp-lockout`]);
  });

  it("accepts management xmpp lines that match the rendered ones", () => {
    validFabric({
      "groups/row1.yaml":
        "config: |\n  management xmpp\n     server 127.0.0.1\n     domain securitydemo.lab\n     vrf MGMT\n",
    });
  });

  it("refuses a hostname line in config (it comes from the device file)", () => {
    const errors = errorsOf({ "groups/row1.yaml": "config: |\n  hostname everyone\n" });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:2:3 hostname-in-config"]);
  });
});

describe("config text", () => {
  it("refuses a banner without EOF", () => {
    const errors = errorsOf({ "groups/row1.yaml": "config: |\n  banner login\n  hello\n" });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:2:3 unterminated-banner"]);
  });

  it("refuses a folded block, which would join lines", () => {
    const errors = errorsOf({ "groups/row1.yaml": "config: >\n  vlan 10\n  vlan 20\n" });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:1:9 folded-config"]);
  });

  it("refuses a first line that is indented under nothing", () => {
    const errors = errorsOf({ "groups/row1.yaml": "config:\n  - '   description x'\n" });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:2:9 config-indentation"]);
  });
});

describe("the whole repo", () => {
  it("says an empty repo has no fabric.yaml", () => {
    const result = validateFabric({ files: {} });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors.map(where)).toEqual(["fabric.yaml:1:1 missing-fabric-file"]);
  });

  it("says an empty fabric.yaml is empty", () => {
    expect(errorsOf({ "fabric.yaml": "" }).map(where)).toEqual(["fabric.yaml:1:1 empty-file"]);
  });

  it("still checks groups and devices when fabric.yaml is missing", () => {
    const errors = errorsOf({ "fabric.yaml": undefined, "devices/leaf2.yaml": "groups: [nope]\n" });
    expect(errors.map(where)).toEqual([
      "devices/leaf2.yaml:1:10 unknown-group",
      "fabric.yaml:1:1 missing-fabric-file",
    ]);
  });

  it("warns when there are no devices", () => {
    const files = Object.fromEntries(
      Object.entries(minimalFiles).filter(([path]) => !path.startsWith("devices/")),
    );
    const result = validateFabric({
      files: { ...files, "fabric.yaml": fabricYaml.replace("  order: [spine, leaf]\n", "  order: []\n") },
    });
    expect(result.warnings.map(where)).toContain("devices/:1:1 no-devices");
  });

  it("reports several errors of different kinds in one run", () => {
    const errors = errorsOf({
      "fabric.yaml": fabricYaml.replace("  host: 127.0.0.1", "  host: 127.0.0.1\n  hots: x"),
      "groups/row1.yaml": "config: |\n  reload\n  snmp-server community public ro\n",
      "devices/leaf2.yaml":
        "groups: [leaf, nope]\nvars:\n  asn: 1\n  loopback0: 1.1.1.1\n  password: Stefan2020\n",
      "devices/spine2.yaml": "groups: [spine]\nhostname: spine1\nvars:\n  loopback0: 10.255.0.2\n",
    });
    expect(errors.map(where)).toEqual([
      "devices/leaf2.yaml:1:16 unknown-group",
      "devices/leaf2.yaml:5:13 inline-secret",
      "devices/spine2.yaml:2:11 duplicate-hostname",
      "fabric.yaml:4:3 schema",
      "groups/row1.yaml:2:3 denied-command",
      "groups/row1.yaml:3:3 inline-secret",
    ]);
  });
});

describe("no follow-on errors", () => {
  it("does not report a group's variables as unknown when the group file itself is invalid", () => {
    const errors = errorsOf({
      "groups/spine.yaml": "vars: {asn: 65000}\ncolour: red\n",
      "devices/spine2.yaml":
        "groups: [spine]\nvars:\n  loopback0: 10.255.0.2\nconfig: |\n  router bgp ${asn}\n",
    });
    expect(errors.map(where)).toEqual(["groups/spine.yaml:2:1 schema"]);
  });

  it("does not report variables as unknown for a device in an unknown group", () => {
    const errors = errorsOf({
      "devices/spine2.yaml":
        "groups: [spines]\nvars:\n  loopback0: 10.255.0.2\nconfig: |\n  router bgp ${asn}\n",
    });
    expect(errors.map(where)).toEqual(["devices/spine2.yaml:1:10 unknown-group"]);
  });
});

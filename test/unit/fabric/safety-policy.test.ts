import { describe, expect, it } from "vitest";
import { validateFabric } from "../../../reconciler/src/fabric/index.ts";
import { fabricFiles, minimalFiles } from "../../fixtures/fabric/minimal.ts";
import { abbreviationFamily, deniedExamples } from "../safety/families.ts";
import { errorsOf, validFabric, describe as where } from "./expect-validation.ts";

/** The group's own BGP section, with its variable unsubstituted (as the YAML writes it). */
const bgpHeader = "router bgp $" + "{asn}";

/** Where a denied line goes: top level, or under one of the minimal fabric's managed sections. */
const placements: { name: string; header?: string }[] = [
  { name: "top level" },
  { name: "interface", header: "interface Ethernet9" },
  { name: "router bgp", header: bgpHeader },
  { name: "vlan", header: "vlan 10" },
  { name: "management xmpp", header: "management xmpp" },
  { name: "two levels deep", header: `${bgpHeader}\n   vrf BLUE` },
];

const allSpellings = deniedExamples.flatMap(({ words, tail }) => abbreviationFamily(words, tail));
// A bare top-level `end` is how EOS config text ends: the config parser drops it, so it is never sent
// either. Inside a section it is a node, and denied like every other spelling.
const familiesAt = (header?: string) => (header ? allSpellings : allSpellings.filter((l) => l !== "end"));

describe("safety policy in desired config: every spelling, at every depth", () => {
  it.each(placements)("refuses every denied spelling with its file:line ($name)", ({ header }) => {
    const families = familiesAt(header);
    const headerLines = header ? header.split("\n") : [];
    const indent = header ? " ".repeat(3 * headerLines.length) : "";
    const body = families.map((line) => `  ${indent}${line}`).join("\n");
    const config = `${headerLines.map((h) => `  ${h}`).join("\n")}${header ? "\n" : ""}${body}\n`;
    const result = validateFabric(
      fabricFiles({ "groups/leaf.yaml": `${minimalFiles["groups/leaf.yaml"]}${config}` }),
    );
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    const leafLines = minimalFiles["groups/leaf.yaml"]!.split("\n").length - 1;
    const first = leafLines + headerLines.length + 1;
    const denied = new Set(
      errors
        .filter((e) => e.code === "denied-command" && e.position.file === "groups/leaf.yaml")
        .map((e) => e.position.line),
    );
    const missed = families.filter((_, index) => !denied.has(first + index));
    expect(missed).toEqual([]);
    expect(denied.size).toBe(families.length);
  });
});

describe("safety policy in event change templates: every spelling, top level and in a section", () => {
  it.each([
    { name: "top level", header: undefined },
    { name: "router bgp", header: bgpHeader },
  ])("refuses every denied spelling with its file:line ($name)", ({ header }) => {
    const families = familiesAt(header);
    const indent = header ? "   " : "";
    const lines = [...(header ? [header] : []), ...families.map((line) => `${indent}${line}`)];
    const rule = [
      "events:",
      "  rules:",
      "    - name: autopeer",
      "      match: 'Packet from (?<peer>[0-9.]+)'",
      "      change:",
      "        lines: |",
      ...lines.map((line) => `          ${line}`),
      "",
    ].join("\n");
    const fabricYaml = `${minimalFiles["fabric.yaml"]}${rule}`;
    const result = validateFabric(fabricFiles({ "fabric.yaml": fabricYaml }));
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    const first = minimalFiles["fabric.yaml"]!.split("\n").length - 1 + 6 + (header ? 1 : 0) + 1;
    const denied = new Set(
      errors
        .filter((e) => e.code === "denied-command" && e.position.file === "fabric.yaml")
        .map((e) => e.position.line),
    );
    expect(families.filter((_, index) => !denied.has(first + index))).toEqual([]);
    expect(denied.size).toBe(families.length);
  });
});

describe("end inside a section", () => {
  it("is a denied command, not a line dropped in silence", () => {
    const errors = errorsOf({ "groups/row1.yaml": "config: |\n  interface Ethernet9\n     end\n  end\n" });
    expect(errors.map(where)).toEqual(["groups/row1.yaml:3:6 denied-command"]);
  });
});

describe("command-running sections", () => {
  it.each([
    ["event-handler", "event-handler WATCH\n     trigger on-boot\n     action log x", "groups/row1.yaml:2:3"],
    ["alias", "alias shint show interfaces", "groups/row1.yaml:2:3"],
    ["schedule", "schedule backup interval 60 max-log-files 2 command show version", "groups/row1.yaml:2:3"],
    ["daemon", "daemon agent\n     exec /usr/bin/agent", "groups/row1.yaml:2:3"],
    ["extension", "extension TerminAttr.swix", "groups/row1.yaml:2:3"],
    ["abbreviated", "EVENT-H watch\n     action log x", "groups/row1.yaml:2:3"],
    [
      "management api unix-socket",
      "management api http-commands\n     protocol unix-socket\n     no shutdown",
      "groups/row1.yaml:2:3",
    ],
  ])("denies %s by default", (_, config, at) => {
    const errors = errorsOf({ "groups/row1.yaml": `config: |\n  ${config}\n` });
    expect(errors.map(where)).toContain(`${at} command-section`);
  });

  it("lets a plain management api http-commands through", () => {
    validFabric({
      "fabric.yaml": minimalFiles["fabric.yaml"]!.replace("vlan]", "vlan, management api]"),
      "groups/row1.yaml": "config: |\n  management api http-commands\n     no shutdown\n",
    });
  });

  it("lets the removal of a command-running section through", () => {
    validFabric({ "groups/row1.yaml": "config: |\n  no alias rld\n  no event-handler WATCH\n" });
  });

  const allow = (section: string) =>
    `${minimalFiles["fabric.yaml"]}policy:\n  allowCommandSections:\n    - section: ${section}\n      reason: reviewed by netops\n`;

  it("allows a section the fabric names, and still checks its command lines", () => {
    validFabric({
      "fabric.yaml": allow("alias"),
      "groups/row1.yaml": "config: |\n  alias shint show interfaces\n",
    });
    const errors = errorsOf({
      "fabric.yaml": allow("alias"),
      "groups/row1.yaml":
        "config: |\n  alias rld reload now\n  alias sc\n     10 show version\n     20 do Bash ls\n",
    });
    expect(errors.map(where)).toEqual([
      "groups/row1.yaml:2:3 denied-command",
      "groups/row1.yaml:5:6 denied-command",
    ]);
    expect(errors[0]!.message).toBe('denied command "reload now": it reboots the switch (run by alias)');
  });

  it.each([
    [
      "event-handler",
      "event-handler WATCH\n     trigger on-boot\n     action bash reboot",
      "groups/row1.yaml:4:6",
    ],
    ["schedule", "schedule x interval 60 max-log-files 1 command wr er", "groups/row1.yaml:2:3"],
    ["daemon", "daemon x\n     exec /bin/bash -c reboot", "groups/row1.yaml:3:6"],
  ])("checks the command lines of an allowed %s", (section, config, at) => {
    const errors = errorsOf({
      "fabric.yaml": allow(section),
      "groups/row1.yaml": `config: |\n  ${config}\n`,
    });
    expect(errors.map(where)).toEqual([`${at} denied-command`]);
  });

  it("refuses an unknown section name in policy.allowCommandSections", () => {
    const errors = errorsOf({ "fabric.yaml": allow("cron") });
    expect(errors.map((e) => e.code)).toEqual(["schema"]);
  });
});

// biome-ignore-all lint/suspicious/noTemplateCurlyInString: fabric config uses ${name} variables, not JS templates.
import { beforeAll, describe, expect, it } from "vitest";
import { adoptDrift } from "../../../reconciler/src/drift-proposal/index.ts";
import { compareInScope, parseConfig } from "../../../reconciler/src/eos/index.ts";
import { renderIntended, validateFabric } from "../../../reconciler/src/fabric/index.ts";
import { exampleFileTexts } from "../../fixtures/fabric/example-text.ts";

// Adoption of a switch that lacks some lines of a section git gives it and has the rest.
let example: Record<string, string>;
beforeAll(async () => {
  example = await exampleFileTexts();
});

function intended(files: Record<string, string>, device: string): string {
  const loaded = validateFabric({ files });
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.errors));
  return renderIntended(loaded.fabric, device).text;
}

/** The edited repo validates and renders each switch's running config: its plan changes nothing. */
function expectNoChange(
  files: Record<string, string>,
  edits: Record<string, string>,
  running: Map<string, string>,
) {
  const edited = validateFabric({ files: { ...files, ...edits } });
  if (!edited.ok) throw new Error(JSON.stringify(edited.errors));
  for (const [device, text] of running) {
    const check = compareInScope(
      parseConfig(text),
      parseConfig(renderIntended(edited.fabric, device).text),
      edited.fabric.scope,
    );
    expect(check.firstDifference, device).toBeUndefined();
    expect(check.equal, device).toBe(true);
  }
}

const portfast3 =
  "interface Ethernet3\n   description server access (SERVERS)\n   switchport access vlan 10\n   spanning-tree portfast\n";
const withoutPortfast3 = (text: string) =>
  text.replace(
    portfast3,
    "interface Ethernet3\n   description server access (SERVERS)\n   switchport access vlan 10\n",
  );

describe("adoptDrift: lines missing from a section", () => {
  it("writes an entry naming the line into the device file when the switch lacks one of a group's lines", () => {
    const running = new Map([["leaf3", withoutPortfast3(intended(example, "leaf3"))]]);
    const adoption = adoptDrift({ files: example, running });
    expect(adoption.notAdopted).toEqual([]);
    expect(adoption.adopted).toEqual([{ device: "leaf3", file: "devices/leaf3.yaml" }]);
    expect(adoption.edits).toEqual({
      "devices/leaf3.yaml": `${example["devices/leaf3.yaml"]}\nremove:\n  - interface Ethernet3: [spanning-tree portfast]\n`,
    });
    expectNoChange(example, adoption.edits, running);
  });

  it("takes the line out of the group's section when every member lacks it, the rest as written", () => {
    const leaves = ["leaf1", "leaf2", "leaf3", "leaf4"];
    const running = new Map(leaves.map((d) => [d, withoutPortfast3(intended(example, d))]));
    const adoption = adoptDrift({ files: example, running });
    expect(adoption.notAdopted).toEqual([]);
    expect(adoption.adopted.map((a) => a.file)).toEqual(leaves.map(() => "groups/leaf.yaml"));
    expect(adoption.edits).toEqual({
      "groups/leaf.yaml": example["groups/leaf.yaml"]!.replace(
        "switchport access vlan 10\n     spanning-tree portfast\n",
        "switchport access vlan 10\n",
      ),
    });
    expectNoChange(example, adoption.edits, running);
  });

  it("writes the entry as the group wrote the section and the line, variables and all", () => {
    const running = new Map([
      ["leaf3", intended(example, "leaf3").replace("   neighbor 10.0.2.4 description spine2\n", "")],
    ]);
    const adoption = adoptDrift({ files: example, running });
    expect(adoption.notAdopted).toEqual([]);
    expect(adoption.edits["devices/leaf3.yaml"]).toBe(
      `${example["devices/leaf3.yaml"]}\nremove:\n  - router bgp \${asn}: ["neighbor \${spine2_ip} description spine2"]\n`,
    );
    expectNoChange(example, adoption.edits, running);
  });

  it("writes a changed section as the switch has it, and an entry for the group's line it lacks", () => {
    const changed = withoutPortfast3(intended(example, "leaf3")).replace(
      "description server access (SERVERS)",
      "description build server (SERVERS)",
    );
    const running = new Map([["leaf3", changed]]);
    const adoption = adoptDrift({ files: example, running });
    expect(adoption.notAdopted).toEqual([]);
    expect(adoption.edits["devices/leaf3.yaml"]).toBe(
      `${example["devices/leaf3.yaml"]}\nremove:\n  - interface Ethernet3: [spanning-tree portfast]\n` +
        "config: |\n  interface Ethernet3\n     description build server (SERVERS)\n     switchport access vlan 10\n",
    );
    expectNoChange(example, adoption.edits, running);
  });

  it("adds a line to the file's entry for the same section", () => {
    const files = {
      ...example,
      "devices/leaf3.yaml": `${example["devices/leaf3.yaml"]}\n# Ethernet3 faces a hypervisor.\nremove:\n  - interface Ethernet3: [spanning-tree portfast]\n`,
    };
    const running = new Map([
      ["leaf3", intended(files, "leaf3").replace("   switchport access vlan 10\n", "")],
    ]);
    const adoption = adoptDrift({ files, running });
    expect(adoption.notAdopted).toEqual([]);
    expect(adoption.edits["devices/leaf3.yaml"]).toBe(
      files["devices/leaf3.yaml"]!.replace(
        "[spanning-tree portfast]",
        "[spanning-tree portfast, switchport access vlan 10]",
      ),
    );
    expectNoChange(files, adoption.edits, running);
  });

  it("finds the file's entry for the section by its command, however it is written", () => {
    const files = {
      ...example,
      "devices/leaf3.yaml": `${example["devices/leaf3.yaml"]}\nremove:\n  - router bgp:\n      - neighbor 10.0.1.4 description spine1\n`,
    };
    const running = new Map([
      ["leaf3", intended(files, "leaf3").replace("   neighbor 10.0.2.4 description spine2\n", "")],
    ]);
    const adoption = adoptDrift({ files, running });
    expect(adoption.notAdopted).toEqual([]);
    expect(adoption.edits["devices/leaf3.yaml"]).toBe(
      `${files["devices/leaf3.yaml"]}      - neighbor \${spine2_ip} description spine2\n`,
    );
    expectNoChange(files, adoption.edits, running);
  });

  it("deletes an entry's line when the switch has it again, and the entry when that was its only line", () => {
    const files = {
      ...example,
      "devices/leaf3.yaml": `${example["devices/leaf3.yaml"]}\nremove:\n  - interface Ethernet3: [spanning-tree portfast]\n  - interface Ethernet4: [spanning-tree portfast, switchport access vlan 20]\n`,
    };
    const running = new Map([
      [
        "leaf3",
        intended(example, "leaf3")
          .replace(portfast3, portfast3.replace("description server access", "description vm host"))
          .replace("   switchport access vlan 20\n", ""),
      ],
    ]);
    const adoption = adoptDrift({ files, running });
    expect(adoption.notAdopted).toEqual([]);
    expect(adoption.edits["devices/leaf3.yaml"]).toBe(
      `${example["devices/leaf3.yaml"]}\nremove:\n  - interface Ethernet4: [switchport access vlan 20]\n` +
        "config: |\n  interface Ethernet3\n     description vm host (SERVERS)\n     switchport access vlan 10\n     spanning-tree portfast\n" +
        "  !\n  interface Ethernet4\n     description storage access (STORAGE)\n     spanning-tree portfast\n",
    );
    expectNoChange(files, adoption.edits, running);
  });

  it("takes a line of the device's own section out of its config, the rest as written", () => {
    const running = new Map([
      [
        "leaf1",
        intended(example, "leaf1").replace(
          /(interface Ethernet5\n(?: {3}.*\n)*?) {3}spanning-tree portfast\n/,
          "$1",
        ),
      ],
    ]);
    expect(running.get("leaf1")).toContain(
      "interface Ethernet5\n   description jump server (SERVERS)\n   switchport access vlan 10\n!",
    );
    const adoption = adoptDrift({ files: example, running });
    expect(adoption.notAdopted).toEqual([]);
    expect(adoption.edits).toEqual({
      "devices/leaf1.yaml": example["devices/leaf1.yaml"]!.replace("     spanning-tree portfast\n", ""),
    });
    expectNoChange(example, adoption.edits, running);
  });

  it("takes a section inside a section out of the device's config, with the `!` that ends it", () => {
    const own =
      "config: |\n  router bgp ${asn}\n     address-family ipv4\n        network 10.99.0.0/16\n     !\n     maximum-paths 4 ecmp 4\n";
    const files = { ...example, "devices/leaf3.yaml": `${example["devices/leaf3.yaml"]}\n${own}` };
    const running = new Map([
      [
        "leaf3",
        intended(files, "leaf3").replace(
          / {3}address-family ipv4\n {6}network 10\.99\.0\.0\/16\n( {3}!\n)?/,
          "",
        ),
      ],
    ]);
    expect(running.get("leaf3")).not.toContain("address-family");
    const adoption = adoptDrift({ files, running });
    expect(adoption.notAdopted).toEqual([]);
    expect(adoption.edits["devices/leaf3.yaml"]).toBe(
      `${example["devices/leaf3.yaml"]}\nconfig: |\n  router bgp \${asn}\n     maximum-paths 4 ecmp 4\n`,
    );
    expectNoChange(files, adoption.edits, running);
  });

  it("writes the entry into a group file when every member lacks the same lines of an earlier group's section", () => {
    const files = {
      ...example,
      "groups/hypervisors.yaml": "description: Leaves whose Ethernet3 faces a hypervisor.\n",
      "devices/leaf3.yaml": example["devices/leaf3.yaml"]!.replace(
        "groups: [leaf, dc1-row2]",
        "groups: [leaf, dc1-row2, hypervisors]",
      ),
      "devices/leaf4.yaml": example["devices/leaf4.yaml"]!.replace(
        "groups: [leaf, dc1-row2]",
        "groups: [leaf, dc1-row2, hypervisors]",
      ),
    };
    const lacking = (d: string) =>
      withoutPortfast3(intended(files, d)).replace(
        "(SERVERS)\n   switchport access vlan 10\n",
        "(SERVERS)\n",
      );
    const running = new Map(["leaf3", "leaf4"].map((d) => [d, lacking(d)]));
    const adoption = adoptDrift({ files, running });
    expect(adoption.notAdopted).toEqual([]);
    expect(adoption.adopted.map((a) => a.file)).toEqual([
      "groups/hypervisors.yaml",
      "groups/hypervisors.yaml",
    ]);
    expect(adoption.edits).toEqual({
      "groups/hypervisors.yaml": `${files["groups/hypervisors.yaml"]}\nremove:\n  - interface Ethernet3: [switchport access vlan 10, spanning-tree portfast]\n`,
    });
    expectNoChange(files, adoption.edits, running);
  });

  it("writes a mapping per level for a line lost inside a section inside a group's section", () => {
    const files = {
      ...example,
      "groups/leaf.yaml": `${example["groups/leaf.yaml"]}     address-family ipv4\n        network 10.98.0.0/16\n        network 10.99.0.0/16\n`,
    };
    const running = new Map([
      ["leaf3", intended(files, "leaf3").replace("      network 10.99.0.0/16\n", "")],
    ]);
    const adoption = adoptDrift({ files, running });
    expect(adoption.notAdopted).toEqual([]);
    expect(adoption.edits).toEqual({
      "devices/leaf3.yaml": `${example["devices/leaf3.yaml"]}\nremove:\n  - router bgp \${asn}:\n      - address-family ipv4: [network 10.99.0.0/16]\n`,
    });
    expectNoChange(files, adoption.edits, running);
  });
});

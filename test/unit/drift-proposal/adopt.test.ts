import { beforeAll, describe, expect, it } from "vitest";
import { adoptDrift } from "../../../reconciler/src/drift-proposal/index.ts";
import { compareInScope, parseConfig } from "../../../reconciler/src/eos/index.ts";
import { renderIntended, validateFabric } from "../../../reconciler/src/fabric/index.ts";
import type { Fabric } from "../../../reconciler/src/fabric/types.ts";
import { exampleFileTexts } from "../../fixtures/fabric/example-text.ts";

let files: Record<string, string>;
let fabric: Fabric;
beforeAll(async () => {
  files = await exampleFileTexts();
  const loaded = validateFabric({ files });
  if (!loaded.ok) throw new Error("example fabric invalid");
  fabric = loaded.fabric;
});

const intended = (device: string) => renderIntended(fabric, device).text;
/** The edited repo's intended config of `device` equals `running` in scope: its plan changes nothing. */
function plansNoChange(edits: Record<string, string>, device: string, running: string): boolean {
  const edited = validateFabric({ files: { ...files, ...edits } });
  if (!edited.ok) throw new Error(JSON.stringify(edited.errors));
  return compareInScope(
    parseConfig(running),
    parseConfig(renderIntended(edited.fabric, device).text),
    edited.fabric.scope,
  ).equal;
}

describe("adoptDrift", () => {
  it("writes one switch's changed block into its device file", () => {
    const running = intended("leaf1").replace(
      "description jump server (SERVERS)",
      "description jump server (moved)",
    );
    const adoption = adoptDrift({ files, running: new Map([["leaf1", running]]) });
    expect(adoption.adopted).toEqual([{ device: "leaf1", file: "devices/leaf1.yaml" }]);
    expect(adoption.notAdopted).toEqual([]);
    expect(Object.keys(adoption.edits)).toEqual(["devices/leaf1.yaml"]);
    // The one line changes; the rest of the file, comments and `[a, b]` lists included, is as it was.
    expect(adoption.edits["devices/leaf1.yaml"]).toBe(
      files["devices/leaf1.yaml"]!.replace("(SERVERS)\n", "(moved)\n"),
    );
    expect(plansNoChange(adoption.edits, "leaf1", running)).toBe(true);
  });

  it("writes a block added on the switch, overriding what a group gives", () => {
    const running = intended("leaf2")
      .replace("vlan 20\n   name STORAGE", "vlan 20\n   name STORAGE-B")
      .replace("!\nend", "!\nvlan 3999\n   name out-of-band\n!\nend");
    const adoption = adoptDrift({ files, running: new Map([["leaf2", running]]) });
    expect(adoption.adopted).toEqual([{ device: "leaf2", file: "devices/leaf2.yaml" }]);
    expect(adoption.edits["devices/leaf2.yaml"]).toMatch(/vlan 20\n\s+name STORAGE-B/);
    expect(plansNoChange(adoption.edits, "leaf2", running)).toBe(true);
  });

  it("appends a new block after a `!`, the file's other blocks as written", () => {
    const running = intended("leaf4").replace("!\nend", "!\nvlan 3999\n   name out-of-band\n!\nend");
    const adoption = adoptDrift({ files, running: new Map([["leaf4", running]]) });
    expect(adoption.edits["devices/leaf4.yaml"]).toBe(
      `${files["devices/leaf4.yaml"]}  !\n  vlan 3999\n     name out-of-band\n`,
    );
    expect(plansNoChange(adoption.edits, "leaf4", running)).toBe(true);
  });

  it("writes a changed banner with its text unindented and its EOF", () => {
    const running = intended("leaf2").replace("reported as drift.", "not allowed.");
    const adoption = adoptDrift({ files, running: new Map([["leaf2", running]]) });
    expect(adoption.notAdopted).toEqual([]);
    expect(adoption.edits["devices/leaf2.yaml"]).toContain(
      "config: |\n  banner login\n  securitydemo.lab - authorised access only.\n",
    );
    expect(adoption.edits["devices/leaf2.yaml"]).toMatch(/Manual changes are not allowed\.\n {2}EOF\n$/);
    expect(plansNoChange(adoption.edits, "leaf2", running)).toBe(true);
  });

  it("writes the group file when every member drifted the same way", () => {
    const leaves = Object.keys(fabric.devices).filter((d) => fabric.devices[d]!.groups.includes("leaf"));
    const change = (d: string) =>
      intended(d).replace("vlan 10\n   name SERVERS", "vlan 10\n   name SERVERS-PROD");
    const adoption = adoptDrift({ files, running: new Map(leaves.map((d) => [d, change(d)])) });
    expect(Object.keys(adoption.edits)).toEqual(["groups/leaf.yaml"]);
    expect(adoption.adopted.map((a) => a.file)).toEqual(leaves.map(() => "groups/leaf.yaml"));
    expect(adoption.edits["groups/leaf.yaml"]).toContain("name SERVERS-PROD");
    // What was written with variables stays written with them.
    expect(adoption.edits["groups/leaf.yaml"]).toContain(
      "description uplink to spine1 Ethernet$" + "{leaf_index}",
    );
    for (const d of leaves) expect(plansNoChange(adoption.edits, d, change(d))).toBe(true);
  });

  it("takes a block the switch lacks out of the device file", () => {
    const running = intended("leaf1").replace(/interface Ethernet5\n( {3}.*\n)+/, "");
    const adoption = adoptDrift({ files, running: new Map([["leaf1", running]]) });
    expect(adoption.adopted).toEqual([{ device: "leaf1", file: "devices/leaf1.yaml" }]);
    expect(adoption.edits["devices/leaf1.yaml"]).not.toContain("Ethernet5\n");
    expect(adoption.edits["devices/leaf1.yaml"]).not.toMatch(/^config:/m);
    expect(plansNoChange(adoption.edits, "leaf1", running)).toBe(true);
  });

  it("writes a remove: entry into the device file for a block its group gives and the switch lacks", () => {
    const running = intended("leaf3").replace(/vlan 20\n( {3}.*\n)+/, "");
    const adoption = adoptDrift({ files, running: new Map([["leaf3", running]]) });
    expect(adoption.notAdopted).toEqual([]);
    expect(adoption.adopted).toEqual([{ device: "leaf3", file: "devices/leaf3.yaml" }]);
    // The one change to the file: a remove: list at its end (leaf3 has no config:).
    expect(adoption.edits["devices/leaf3.yaml"]).toBe(
      `${files["devices/leaf3.yaml"]}\nremove:\n  - vlan 20\n`,
    );
    expect(plansNoChange(adoption.edits, "leaf3", running)).toBe(true);
  });

  it("writes a remove: entry for a baseline line, before config: and its comment, config untouched", () => {
    const running = intended("leaf1").replace("ntp server 10.250.0.11 iburst\n", "");
    const adoption = adoptDrift({ files, running: new Map([["leaf1", running]]) });
    expect(adoption.adopted).toEqual([{ device: "leaf1", file: "devices/leaf1.yaml" }]);
    const before = files["devices/leaf1.yaml"]!;
    const comment = "# leaf1 hosts the lab's jump server";
    expect(adoption.edits["devices/leaf1.yaml"]).toBe(
      before.replace(`\n${comment}`, `\nremove:\n  - ntp server $\{ntp_secondary} iburst\n\n${comment}`),
    );
    expect(plansNoChange(adoption.edits, "leaf1", running)).toBe(true);
  });

  it("writes the remove: entry into the group file when every member lacks a baseline line", () => {
    const leaves = fabric.groups.leaf!.members;
    const lacking = (d: string) => intended(d).replace("ntp server 10.250.0.11 iburst\n", "");
    const adoption = adoptDrift({ files, running: new Map(leaves.map((d) => [d, lacking(d)])) });
    expect(adoption.notAdopted).toEqual([]);
    expect(Object.keys(adoption.edits)).toEqual(["groups/leaf.yaml"]);
    expect(adoption.adopted.map((a) => a.file)).toEqual(leaves.map(() => "groups/leaf.yaml"));
    const group = adoption.edits["groups/leaf.yaml"]!;
    expect(group).toContain("remove:\n  - ntp server $" + "{ntp_secondary} iburst\n\nconfig: |\n  vlan 10\n");
    // The config block is as written, variables and all.
    expect(group).toContain(
      files["groups/leaf.yaml"]!.slice(files["groups/leaf.yaml"]!.indexOf("config: |")),
    );
    for (const d of leaves) expect(plansNoChange(adoption.edits, d, lacking(d))).toBe(true);
    // The spines keep the line.
    const edited = validateFabric({ files: { ...files, ...adoption.edits } });
    expect(edited.ok && renderIntended(edited.fabric, "spine1").text).toContain(
      "ntp server 10.250.0.11 iburst",
    );
  });

  it("takes a block the group gives out of the group's config when every member lacks it", () => {
    const leaves = fabric.groups.leaf!.members;
    const lacking = (d: string) => intended(d).replace(/vlan 20\n( {3}.*\n)+/, "");
    const adoption = adoptDrift({ files, running: new Map(leaves.map((d) => [d, lacking(d)])) });
    expect(Object.keys(adoption.edits)).toEqual(["groups/leaf.yaml"]);
    // Only the block's lines and the `!` after it go; the rest of the block text is as written.
    expect(adoption.edits["groups/leaf.yaml"]).toBe(
      files["groups/leaf.yaml"]!.replace("  vlan 20\n     name STORAGE\n  !\n", ""),
    );
    for (const d of leaves) expect(plansNoChange(adoption.edits, d, lacking(d))).toBe(true);
  });

  it("takes a block out of the device's config and removes the group's, when both give it", () => {
    const leaf2File = `${files["devices/leaf2.yaml"]}\nconfig: |\n  vlan 20\n     name STORAGE-B\n`;
    const withOwn = { ...files, "devices/leaf2.yaml": leaf2File };
    const loaded = validateFabric({ files: withOwn });
    if (!loaded.ok) throw new Error("fixture invalid");
    const running = renderIntended(loaded.fabric, "leaf2").text.replace(/vlan 20\n( {3}.*\n)+/, "");
    const adoption = adoptDrift({ files: withOwn, running: new Map([["leaf2", running]]) });
    expect(adoption.adopted).toEqual([{ device: "leaf2", file: "devices/leaf2.yaml" }]);
    expect(adoption.edits["devices/leaf2.yaml"]).toBe(
      `${files["devices/leaf2.yaml"]}\nremove:\n  - vlan 20\n`,
    );
  });

  it("deletes a remove: entry when the switch has the block again", () => {
    const removed = {
      ...files,
      "devices/leaf3.yaml": `${files["devices/leaf3.yaml"]}remove:\n  - vlan 20\n`,
    };
    const running = intended("leaf3");
    const adoption = adoptDrift({ files: removed, running: new Map([["leaf3", running]]) });
    expect(adoption.adopted).toEqual([{ device: "leaf3", file: "devices/leaf3.yaml" }]);
    const file = adoption.edits["devices/leaf3.yaml"]!;
    expect(file).not.toContain("remove:");
    expect(file).toMatch(/config: \|\n {2}vlan 20\n {5}name STORAGE\n$/);
    const edited = validateFabric({ files: { ...removed, ...adoption.edits } });
    if (!edited.ok) throw new Error(JSON.stringify(edited.errors));
    expect(
      compareInScope(
        parseConfig(running),
        parseConfig(renderIntended(edited.fabric, "leaf3").text),
        edited.fabric.scope,
      ).equal,
    ).toBe(true);
  });

  it("never writes an inline secret into git: that switch is left out, the others adopted", () => {
    const secret = intended("leaf1").replace(
      /(router bgp \d+\n)/,
      "$1   neighbor 10.0.1.0 password 7 0x1234abcd\n",
    );
    const fine = intended("leaf2").replace("vlan 20\n   name STORAGE", "vlan 20\n   name STORAGE-B");
    const adoption = adoptDrift({
      files,
      running: new Map([
        ["leaf1", secret],
        ["leaf2", fine],
      ]),
    });
    expect(adoption.adopted).toEqual([{ device: "leaf2", file: "devices/leaf2.yaml" }]);
    expect(adoption.notAdopted.map((n) => n.device)).toEqual(["leaf1"]);
    expect(Object.keys(adoption.edits)).toEqual(["devices/leaf2.yaml"]);
  });
});

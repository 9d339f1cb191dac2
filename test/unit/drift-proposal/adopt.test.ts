import { beforeAll, describe, expect, it } from "vitest";
import { adoptDrift } from "../../../reconciler/src/drift-proposal/index.ts";
import { compareInScope, parseConfig } from "../../../reconciler/src/eos/index.ts";
import { readFabricRepo, renderIntended, validateFabric } from "../../../reconciler/src/fabric/index.ts";
import type { Fabric } from "../../../reconciler/src/fabric/types.ts";

let files: Record<string, string>;
let fabric: Fabric;
beforeAll(async () => {
  const read = await readFabricRepo("fabric-repo-example");
  files = Object.fromEntries(
    Object.entries(read.files).map(([path, bytes]) => [
      path,
      typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("utf8"),
    ]),
  );
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
    const file = adoption.edits["devices/leaf1.yaml"]!;
    expect(file).toContain("   description jump server (moved)");
    // The rest of the file, comments included, is as it was.
    expect(file).toContain("# leaf1 hosts the lab's jump server on Ethernet5, in the SERVERS VLAN.");
    expect(file).toContain("password: env:LEAF1_XMPP_PASSWORD");
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

  it("leaves a switch out, saying why, when it lacks a block its group gives it", () => {
    const running = intended("leaf3").replace(/vlan 20\n( {3}.*\n)+/, "");
    const adoption = adoptDrift({ files, running: new Map([["leaf3", running]]) });
    expect(adoption.edits).toEqual({});
    expect(adoption.notAdopted).toEqual([
      {
        device: "leaf3",
        why: "it lacks `vlan 20`, which its groups or the baseline give it; remove that there or heal the switch",
      },
    ]);
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

import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { addConfigToYaml, mergeConfigText } from "../../../reconciler/src/events/index.ts";

const NEIGHBOR = "router bgp ${asn}\n   neighbor 10.0.3.0 peer group SPINES";

describe("mergeConfigText", () => {
  it("appends a section that is not there, after a ! separator", () => {
    expect(mergeConfigText("interface Ethernet5\n   description jump\n", NEIGHBOR)).toBe(
      "interface Ethernet5\n   description jump\n!\nrouter bgp ${asn}\n   neighbor 10.0.3.0 peer group SPINES\n",
    );
  });

  it("inserts a line at the end of its parent's block, before the block's closing !", () => {
    const existing =
      "router bgp ${asn}\n   router-id 1.1.1.1\n   !\n   address-family ipv4\n      network 10.0.0.0/8\n!\nip routing\n";
    expect(mergeConfigText(existing, NEIGHBOR)).toBe(
      "router bgp ${asn}\n   router-id 1.1.1.1\n   !\n   address-family ipv4\n      network 10.0.0.0/8\n   neighbor 10.0.3.0 peer group SPINES\n!\nip routing\n",
    );
    expect(
      mergeConfigText(existing, "router bgp ${asn}\n   address-family ipv4\n      network 10.1.0.0/16"),
    ).toContain("      network 10.0.0.0/8\n      network 10.1.0.0/16\n!");
  });

  it("adds nothing when the lines are there", () => {
    const existing = `${NEIGHBOR}\n`;
    expect(mergeConfigText(existing, NEIGHBOR)).toBe(existing);
  });
});

describe("addConfigToYaml", () => {
  it("adds the lines to a device file's literal block and keeps its comments and keys", async () => {
    const text = await readFile("fabric-repo-example/devices/leaf1.yaml", "utf8");
    const changed = addConfigToYaml(text, NEIGHBOR);
    expect(changed).toContain("# leaf1 hosts the lab's jump server on Ethernet5, in the SERVERS VLAN.");
    expect(changed).toContain("config: |\n  interface Ethernet5\n");
    expect(parse(changed).config).toBe(`${parse(text).config}!\n${NEIGHBOR}\n`);
    expect(Object.keys(parse(changed))).toEqual(Object.keys(parse(text)));
  });

  it("adds a config block to a file that has none, and extends a list of lines", () => {
    expect(parse(addConfigToYaml("hostname: leaf9\ngroups: [leaf]\n", NEIGHBOR)).config).toBe(
      `${NEIGHBOR}\n`,
    );
    expect(parse(addConfigToYaml("groups: [leaf]\nconfig:\n  - ip routing\n", NEIGHBOR)).config).toEqual([
      "ip routing",
      "!",
      "router bgp ${asn}",
      "   neighbor 10.0.3.0 peer group SPINES",
    ]);
  });
});

describe("addConfigToYaml keeps the file's own style", () => {
  it("leaves flow lists and the lines it does not change byte for byte", async () => {
    const text = await readFile("fabric-repo-example/devices/leaf3.yaml", "utf8");
    const changed = addConfigToYaml(text, NEIGHBOR);
    expect(changed.startsWith(text.replace(/\n$/, ""))).toBe(true);
    expect(changed.slice(text.length)).toBe(`config: |\n  ${NEIGHBOR.replace("\n", "\n  ")}\n`);
  });
});

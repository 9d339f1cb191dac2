import { describe, expect, it } from "vitest";
import { scopeDiffs } from "../../../reconciler/src/drift/index.ts";
import { parseConfig } from "../../../reconciler/src/eos/index.ts";

const scope = { sections: ["vlan", "interface", "username"], ignore: [] };
const running = parseConfig(`interface Ethernet2
   description old
!
interface Ethernet1
   description uplink
!
vlan 10
   name users
!
username ops secret 0 hunter2
!
ntp server 10.0.0.1
`);
const intended = parseConfig(`vlan 10
   name staff
!
interface Ethernet1
   description uplink
!
interface Ethernet2
   description new
!
username ops secret 0 letmein
!
ntp server 10.0.0.2
`);

describe("scopeDiffs", () => {
  it("splits the managed diff per section, in fabric.yaml's order, with secrets redacted", () => {
    const { diff, sections } = scopeDiffs("leaf1", running, intended, scope, ["running", "intended"]);
    expect(sections.map((s) => [s.section, s.lines])).toEqual([
      ["vlan", 2],
      ["interface", 2],
    ]);
    // A secret that changed is redacted on both sides before the texts are compared: no visible line.
    expect(sections[1]!.diff).toContain("-   description old\n+   description new");
    expect(sections[1]!.diff).not.toContain("vlan");
    // Order is no difference: Ethernet1 and Ethernet2 are listed in another order on each side.
    expect(diff).not.toContain("-interface Ethernet2");
    expect(diff).toContain("--- leaf1 (running)");
    expect(diff).not.toMatch(/hunter2|letmein/);
    // ntp is outside the managed scope: neither the diff nor a section shows it.
    expect(diff).not.toContain("ntp");
  });

  it("is empty when the managed scope is equal, whatever differs outside it", () => {
    const same = parseConfig("vlan 10\n   name users\n!\nntp server 10.9.9.9\n");
    const other = parseConfig("vlan 10\n   name users\n");
    expect(scopeDiffs("leaf1", same, other, scope, ["a", "b"])).toEqual({ diff: "", sections: [] });
  });

  it("gives a line in two sections to both, each section separated as if rendered alone", () => {
    // "ip route …" is in "ip" and in "ip route"; the scope lists "ip route" twice (each is reported).
    const scope = { sections: ["ip", "ip route", "ntp", "ip route"], ignore: [] };
    const from = parseConfig(
      "ip route 10.0.0.0/8 192.0.2.1\nip name-server 192.0.2.53\nip route 0.0.0.0/0 192.0.2.1\nntp server 192.0.2.123\nip routing\n",
    );
    const to = parseConfig(
      "ip routing\nip name-server 192.0.2.53\nip route 0.0.0.0/0 192.0.2.254\nip route 10.0.0.0/8 192.0.2.1\nntp server 192.0.2.123\nntp server 192.0.2.124 key 7 0A1B\n",
    );
    const head = "--- leaf1 (running)\n+++ leaf1 (intended)\n";
    const route = "-ip route 0.0.0.0/0 192.0.2.1\n+ip route 0.0.0.0/0 192.0.2.254\n";
    const { diff, sections } = scopeDiffs("leaf1", from, to, scope, ["running", "intended"]);
    // In the whole text, lines of one family are not separated: no `!` between "ip route" and "ip routing".
    expect(diff).toBe(
      `${head}@@ -1,7 +1,8 @@\n ip name-server 192.0.2.53\n${route} ip route 10.0.0.0/8 192.0.2.1\n ip routing\n !\n ntp server 192.0.2.123\n+ntp server 192.0.2.124 key 7 <redacted>\n !\n`,
    );
    const ipRoute = {
      section: "ip route",
      lines: 2,
      diff: `${head}@@ -1,3 +1,3 @@\n${route} ip route 10.0.0.0/8 192.0.2.1\n !\n`,
    };
    expect(sections).toEqual([
      {
        section: "ip",
        lines: 2,
        diff: `${head}@@ -1,4 +1,4 @@\n ip name-server 192.0.2.53\n${route} ip route 10.0.0.0/8 192.0.2.1\n ip routing\n`,
      },
      ipRoute,
      {
        section: "ntp",
        lines: 1,
        diff: `${head}@@ -1,2 +1,3 @@\n ntp server 192.0.2.123\n+ntp server 192.0.2.124 key 7 <redacted>\n !\n`,
      },
      ipRoute,
    ]);
  });
});

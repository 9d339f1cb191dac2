import { describe, expect, it } from "vitest";
import { parseConfig, remediate } from "../../../reconciler/src/eos/index.ts";
import type { ManagedScope } from "../../../reconciler/src/fabric/types.ts";
import {
  aclVerdict,
  type DeclaredPath,
  guardManagementPath,
  learnManagementPath,
  migrationFor,
} from "../../../reconciler/src/safety/management-path/index.ts";

/** A leaf whose Management1 in VRF MGMT reaches the XMPP server 172.17.3.253 through a gateway. */
const running = `vrf instance MGMT
!
vrf instance RED
!
interface Ethernet1
   description uplink
!
interface Management1
   description oob
   vrf MGMT
   ip address 10.0.0.11/24
!
ip access-list MGMT-IN
   10 permit tcp host 172.17.3.253 eq 5222 any established
   20 deny ip any any
!
ip route vrf MGMT 0.0.0.0/0 10.0.0.1
ip route vrf RED 0.0.0.0/0 10.9.0.1
!
management xmpp
   no shutdown
   vrf MGMT
   server 172.17.3.253
   username leaf1@securitydemo.lab
   domain securitydemo.lab
   session privilege 15
!
end
`;

const scope: ManagedScope = {
  sections: [
    "vrf instance",
    "interface",
    "ip access-list",
    "ip route",
    "system control-plane",
    "management xmpp",
  ],
  ignore: [],
  keepUnlisted: ["^interface "],
};
const xmpp = { server: "172.17.3.253", port: 5222 };

/** The guard's findings for a desired config made from running by `edit`. */
function guard(
  edit: (text: string) => string,
  options: {
    declared?: DeclaredPath;
    scope?: ManagedScope;
    migration?: { elements: []; reason: string };
  } = {},
) {
  const before = parseConfig(running);
  const intended = parseConfig(edit(running));
  const remediation = remediate(before, intended, options.scope ?? scope);
  expect(remediation.commands.length).toBeGreaterThan(0);
  const path = learnManagementPath(before, xmpp, options.declared);
  return guardManagementPath({ device: "leaf1", intended, running: before, remediation, path, ...options });
}

const inManagement1 = (line: string) => (text: string) =>
  text.replace("   ip address 10.0.0.11/24\n", `   ip address 10.0.0.11/24\n   ${line}\n`);

describe("learnManagementPath", () => {
  it("learns the VRF from management xmpp and the interface from the route's next hop", () => {
    const path = learnManagementPath(parseConfig(running), xmpp);
    expect(path).toMatchObject({ server: "172.17.3.253", port: 5222, vrf: "MGMT", interface: "Management1" });
    expect(path.how.interface).toBe('learned: the route "ip route vrf MGMT 0.0.0.0/0 10.0.0.1" leaves by it');
  });

  it("prefers the interface whose subnet holds the server", () => {
    const text = running.replace("ip address 10.0.0.11/24", "ip address 172.17.3.11/24");
    expect(learnManagementPath(parseConfig(text), xmpp).how.interface).toBe(
      "learned: its subnet holds the server",
    );
  });

  it("falls back to the management port of the VRF, and takes what the fabric declares", () => {
    const noRoute = parseConfig(running.replace("ip route vrf MGMT 0.0.0.0/0 10.0.0.1\n", ""));
    expect(learnManagementPath(noRoute, xmpp).how.interface).toBe("learned: the management port in VRF MGMT");
    expect(learnManagementPath(noRoute, xmpp, { interface: "Ethernet1", vrf: "default" })).toMatchObject({
      interface: "Ethernet1",
      vrf: "default",
    });
  });

  it("reads the server and port the switch uses from its own config", () => {
    const text = running.replace("server 172.17.3.253", "server 172.17.3.250 port 5223");
    expect(learnManagementPath(parseConfig(text), xmpp)).toMatchObject({
      server: "172.17.3.250",
      port: 5223,
    });
  });
});

describe("guardManagementPath: each change that touches the path is named", () => {
  it.each([
    [
      "shutdown of the interface",
      inManagement1("shutdown"),
      "interface",
      "interface Management1",
      '"shutdown"',
    ],
    [
      "a VRF change on the interface",
      (t: string) => t.replace("   vrf MGMT\n   ip address", "   vrf RED\n   ip address"),
      "vrf",
      "interface Management1",
      "moving Management1 from VRF MGMT to VRF RED (EOS drops its address)",
    ],
    [
      "a new address on the interface",
      (t: string) => t.replace("10.0.0.11/24", "10.0.0.12/24"),
      "interface",
      "interface Management1",
      "changing its address from 10.0.0.11/24 to 10.0.0.12/24",
    ],
    [
      "a deny-all ACL applied in",
      (t: string) =>
        inManagement1("ip access-group DENY-ALL in")(t).replace(
          "ip route vrf MGMT",
          "ip access-list DENY-ALL\n   10 deny ip any any\n!\nip route vrf MGMT",
        ),
      "acl",
      "ip access-list DENY-ALL",
      "applied in on interface Management1, it denies the XMPP session (10 deny ip any any)",
    ],
    [
      "an ACL applied in that permits the session",
      (t: string) => inManagement1("ip access-group MGMT-IN in")(t),
      undefined,
      undefined,
      undefined,
    ],
    [
      "an outbound ACL that permits another port only",
      (t: string) =>
        inManagement1("ip access-group OUT out")(t).replace(
          "ip route vrf MGMT",
          "ip access-list OUT\n   10 permit tcp any host 172.17.3.253 eq 5269\n!\nip route vrf MGMT",
        ),
      "acl",
      "ip access-list OUT",
      "applied out on interface Management1, it denies the XMPP session (implicit deny (no entry surely permits it))",
    ],
    [
      "a control-plane ACL that denies",
      (t: string) =>
        t.replace(
          "management xmpp",
          "ip access-list CP\n   10 deny tcp any eq 5222 any\n   20 permit ip any any\n!\nsystem control-plane\n   ip access-group CP vrf MGMT in\n!\nmanagement xmpp",
        ),
      "acl",
      "ip access-list CP",
      "applied on the control plane, it denies the XMPP session (10 deny tcp any eq 5222 any)",
    ],
    [
      "removing the management VRF's default route",
      (t: string) => t.replace("ip route vrf MGMT 0.0.0.0/0 10.0.0.1\n", ""),
      "route",
      '"ip route vrf MGMT 0.0.0.0/0 10.0.0.1"',
      "removing the route to the server",
    ],
    [
      "a more specific route to the server",
      (t: string) =>
        t.replace("ip route vrf RED", "ip route vrf MGMT 172.17.3.0/24 10.0.0.99\nip route vrf RED"),
      "route",
      '"ip route vrf MGMT 172.17.3.0/24 10.0.0.99"',
      "adding a route that takes the server's traffic elsewhere",
    ],
    [
      "removing the management VRF",
      (t: string) => t.replace("vrf instance MGMT\n!\n", ""),
      "vrf",
      "vrf MGMT",
      "removing VRF MGMT",
    ],
    [
      "a new XMPP server",
      (t: string) => t.replace("server 172.17.3.253", "server 172.17.9.9"),
      "xmpp-client",
      "management xmpp",
      'changing "server 172.17.3.253" to "server 172.17.9.9"',
    ],
    [
      "shutdown of the XMPP client",
      (t: string) => t.replace("   no shutdown\n   vrf MGMT", "   shutdown\n   vrf MGMT"),
      "xmpp-client",
      "management xmpp",
      '"shutdown"',
    ],
    [
      "moving the XMPP client to another VRF",
      (t: string) => t.replace("   vrf MGMT\n   server", "   vrf RED\n   server"),
      "vrf",
      "vrf MGMT",
      "moving management xmpp from VRF MGMT to VRF RED",
    ],
    [
      "moving the XMPP client to the default VRF (the rendered block has no vrf line)",
      (t: string) => t.replace("   vrf MGMT\n   server", "   server"),
      "vrf",
      "vrf MGMT",
      "moving management xmpp from VRF MGMT to VRF default (declare managementPath.vrf: MGMT to keep it)",
    ],
    [
      "removing management xmpp",
      (t: string) => t.slice(0, t.indexOf("management xmpp")),
      "xmpp-client",
      "management xmpp",
      "removing management xmpp",
    ],
  ])("%s", (_, edit, element, subject, what) => {
    const findings = guard(edit);
    if (element === undefined) {
      expect(findings).toEqual([]);
      return;
    }
    expect(findings.map((f) => [f.element, f.subject])).toContainEqual([element, subject]);
    const finding = findings.find((f) => f.element === element && f.subject === subject)!;
    expect(finding.message).toBe(
      `${what}: ${subject} is on leaf1's management path (server 172.17.3.253:5222 in VRF MGMT through Management1 (learned: the route "ip route vrf MGMT 0.0.0.0/0 10.0.0.1" leaves by it))`,
    );
    expect(finding.allowedBy).toBeUndefined();
  });

  it("names default interface when git does not list the management port and the scope would reset it", () => {
    const findings = guard((t) => t.replace(/interface Management1\n(?: {3}.*\n)+!\n/, ""), {
      scope: { ...scope, keepUnlisted: [] },
    });
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(
        /^"default interface Management1" resets it: interface Management1 is on leaf1's/,
      ),
    ]);
  });

  it("keeps an unlisted management port out of the plan altogether when the scope keeps it", () => {
    const before = parseConfig(running);
    const intended = parseConfig(running.replace(/interface Management1\n(?: {3}.*\n)+!\n/, ""));
    expect(remediate(before, intended, scope).commands).toEqual([]);
  });

  it.each([
    ["a description", (t: string) => t.replace("description oob", "description out of band")],
    [
      "another VRF's route",
      (t: string) => t.replace("ip route vrf RED 0.0.0.0/0 10.9.0.1", "ip route vrf RED 0.0.0.0/0 10.9.0.2"),
    ],
    [
      "another interface's shutdown",
      (t: string) => t.replace("   description uplink\n", "   description uplink\n   shutdown\n"),
    ],
    [
      "a less specific route than the connected subnet",
      (t: string) =>
        t
          .replace("ip route vrf RED", "ip route vrf MGMT 172.16.0.0/12 10.0.0.1\nip route vrf RED")
          .replace("10.0.0.11/24", "10.0.0.11/24\n   ip address 172.17.3.11/24 secondary"),
    ],
  ])("lets %s through", (_, edit) => {
    const findings = guard(edit);
    expect(findings.filter((f) => !f.message.startsWith("changing its address"))).toEqual([]);
  });

  it("marks what a reviewed migration names as allowed, and nothing else", () => {
    const findings = guardManagementPath({
      device: "leaf1",
      intended: parseConfig(running),
      running: parseConfig(running),
      remediation: remediate(
        parseConfig(running),
        parseConfig(inManagement1("shutdown")(running).replace("ip route vrf MGMT 0.0.0.0/0 10.0.0.1\n", "")),
        scope,
      ),
      path: learnManagementPath(parseConfig(running), xmpp),
      migration: { elements: ["interface"], reason: "CHG-1: new OOB switch" },
    });
    expect(findings.map((f) => [f.element, f.allowedBy])).toEqual([
      ["interface", "CHG-1: new OOB switch"],
      ["route", undefined],
    ]);
  });
});

describe("migrationFor", () => {
  const migration = { reason: "CHG-1", until: "2026-12-02", elements: ["vrf" as const], devices: ["leaf1"] };
  it("applies to the switches it names until the end of its last day", () => {
    expect(migrationFor(migration, "leaf1", new Date("2026-12-02T23:59:00Z"))).toBe(migration);
    expect(migrationFor(migration, "leaf1", new Date("2026-12-03T00:00:00Z"))).toBeUndefined();
    expect(migrationFor(migration, "leaf2", new Date("2026-12-01T00:00:00Z"))).toBeUndefined();
  });
});

describe("aclVerdict", () => {
  const inbound = {
    source: 0xac1103fd, // 172.17.3.253
    sourcePorts: [5222, 5222] as const,
    destination: 0x0a00000b, // 10.0.0.11
    destinationPorts: [32768, 60999] as const,
    ack: "yes" as const,
  };
  it.each([
    [["10 permit tcp host 172.17.3.253 eq 5222 any established"], false, true, true],
    [["10 permit tcp 172.17.0.0/16 any gt 1023"], false, true, true],
    [["10 permit tcp 172.17.0.0 0.0.255.255 eq xmpp-client any"], false, true, true],
    [["10 permit tcp any any eq 22", "20 permit ip any any"], false, true, true],
    [["10 deny tcp any any range 30000 40000", "20 permit ip any any"], false, false, false],
    [["10 permit udp any any", "20 deny ip any any"], false, false, true],
    // the server speaks from port 5222: a rule on the destination port 5222 is about other traffic
    [["10 deny tcp any any eq 5222", "20 permit ip any any"], false, true, true],
    [["10 permit tcp any any dscp af21", "20 deny ip any any"], false, false, false],
    [["10 remark mgmt", "20 permit host 172.17.3.253"], true, true, true],
    [["10 permit 10.0.0.0/8"], true, false, true],
  ])("%j (standard: %s) → permits %s, certain %s", (entries, standard, permits, certain) => {
    expect(aclVerdict(entries, inbound, standard)).toMatchObject({ permits, certain });
  });
});

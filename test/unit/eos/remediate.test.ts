import { describe, expect, it } from "vitest";
import { compareInScope, parseConfig, remediate } from "../../../reconciler/src/eos/index.ts";
import type { ManagedScope } from "../../../reconciler/src/fabric/types.ts";

const ALL: ManagedScope = {
  sections: [
    "hostname",
    "username",
    "ntp",
    "logging",
    "vlan",
    "vrf instance",
    "interface",
    "ip access-list",
    "ip prefix-list",
    "route-map",
    "router bgp",
    "management xmpp",
    "banner",
    "spanning-tree",
  ],
  ignore: [],
};

interface Case {
  name: string;
  running: string[];
  intended: string[];
  expected: string[];
  scope?: ManagedScope;
}

function check({ running, intended, expected, scope = ALL }: Case): void {
  const before = parseConfig(running.join("\n"));
  const after = parseConfig(intended.join("\n"));
  const result = remediate(before, after, scope);
  expect(result.commands).toEqual(expected);
  expect(compareInScope(result.predicted, after, scope).equal).toBe(true);
  expect(remediate(result.predicted, after, scope).commands).toEqual([]);
}

const setCommands: Case[] = [
  {
    name: "hostname",
    running: ["hostname leaf1"],
    intended: ["hostname leaf2"],
    expected: ["hostname leaf2"],
  },
  {
    name: "interface description",
    running: ["interface Ethernet1", "   description old"],
    intended: ["interface Ethernet1", "   description new uplink"],
    expected: ["interface Ethernet1", "   description new uplink", "   exit"],
  },
  {
    name: "primary ip address and mtu",
    running: ["interface Ethernet1", "   mtu 1500", "   no switchport", "   ip address 10.0.0.1/31"],
    intended: ["interface Ethernet1", "   mtu 9214", "   no switchport", "   ip address 10.0.0.3/31"],
    expected: ["interface Ethernet1", "   ip address 10.0.0.3/31", "   mtu 9214", "   exit"],
  },
  {
    name: "vlan name",
    running: ["vlan 10", "   name OLD"],
    intended: ["vlan 10", "   name NEW"],
    expected: ["vlan 10", "   name NEW", "   exit"],
  },
  {
    name: "username secret",
    running: ["username ops privilege 15 role network-admin secret sha512 $6$old"],
    intended: ["username ops privilege 15 role network-admin secret sha512 $6$new"],
    expected: ["username ops privilege 15 role network-admin secret sha512 $6$new"],
  },
  {
    name: "ntp server options",
    running: ["ntp server vrf MGMT 10.0.0.1"],
    intended: ["ntp server vrf MGMT 10.0.0.1 prefer iburst"],
    expected: ["ntp server vrf MGMT 10.0.0.1 prefer iburst"],
  },
  {
    name: "access vlan moves the port in one step (never through VLAN 1)",
    running: ["vlan 10", "vlan 20", "interface Ethernet1", "   switchport access vlan 10"],
    intended: ["vlan 10", "vlan 20", "interface Ethernet1", "   switchport access vlan 20"],
    expected: ["interface Ethernet1", "   switchport access vlan 20", "   exit"],
  },
  {
    name: "router-id and remote-as",
    running: ["router bgp 65000", "   router-id 1.1.1.1", "   neighbor 10.0.0.1 remote-as 65001"],
    intended: ["router bgp 65000", "   router-id 1.1.1.2", "   neighbor 10.0.0.1 remote-as 65002"],
    expected: ["router bgp 65000", "   neighbor 10.0.0.1 remote-as 65002", "   router-id 1.1.1.2", "   exit"],
  },
  {
    name: "xmpp server, credentials and domain are replaced in place",
    running: [
      "management xmpp",
      "   server 10.1.1.1",
      "   domain a.lab",
      "   username leaf1@a.lab",
      "   password 7 0A0B",
    ],
    intended: [
      "management xmpp",
      "   server 10.1.1.2",
      "   domain b.lab",
      "   username leaf1@b.lab",
      "   password 7 0C0D",
    ],
    expected: [
      "management xmpp",
      "   server 10.1.1.2",
      "   domain b.lab",
      "   username leaf1@b.lab",
      "   password 7 0C0D",
      "   exit",
    ],
  },
  {
    name: "trunk allowed list is replaced directly (never all VLANs in between)",
    running: ["interface Ethernet1", "   switchport mode trunk", "   switchport trunk allowed vlan 10,20"],
    intended: ["interface Ethernet1", "   switchport mode trunk", "   switchport trunk allowed vlan 10,30"],
    expected: ["interface Ethernet1", "   switchport trunk allowed vlan 10,30", "   exit"],
  },
];

setCommands.push(
  {
    name: "mlag peer settings",
    running: [
      "mlag configuration",
      "   domain-id pod1",
      "   peer-address 10.255.255.1",
      "   peer-link Port-Channel100",
    ],
    intended: [
      "mlag configuration",
      "   domain-id pod2",
      "   peer-address 10.255.255.2",
      "   peer-link Port-Channel100",
    ],
    expected: ["mlag configuration", "   domain-id pod2", "   peer-address 10.255.255.2", "   exit"],
    scope: { sections: ["mlag"], ignore: [] },
  },
  {
    name: "daemon command line",
    running: ["daemon TerminAttr", "   exec /usr/bin/TerminAttr -a=old", "   no shutdown"],
    intended: ["daemon TerminAttr", "   exec /usr/bin/TerminAttr -a=new", "   no shutdown"],
    expected: ["daemon TerminAttr", "   exec /usr/bin/TerminAttr -a=new", "   exit"],
    scope: { sections: ["daemon"], ignore: [] },
  },
);

const keyedNegation: Case[] = [
  {
    name: "one attribute of a neighbor that stays",
    running: [
      "router bgp 65000",
      "   neighbor 10.0.0.1 remote-as 65001",
      "   neighbor 10.0.0.1 description spine1",
    ],
    intended: ["router bgp 65000", "   neighbor 10.0.0.1 remote-as 65001"],
    expected: ["router bgp 65000", "   no neighbor 10.0.0.1 description", "   exit"],
  },
  {
    name: "primary address and access vlan",
    running: [
      "interface Ethernet1",
      "   description x",
      "   switchport access vlan 10",
      "interface Vlan10",
      "   ip address 10.0.0.1/24",
    ],
    intended: ["interface Ethernet1", "   description x", "interface Vlan10"],
    expected: [
      "interface Ethernet1",
      "   no switchport access vlan",
      "   exit",
      "interface Vlan10",
      "   no ip address",
      "   exit",
    ],
  },
  {
    name: "a secondary address removes exactly its line",
    running: [
      "interface Vlan10",
      "   ip address 10.0.0.1/24",
      "   ip address 10.0.1.1/24 secondary",
      "   ip address 10.0.2.1/24 secondary",
    ],
    intended: ["interface Vlan10", "   ip address 10.0.0.1/24", "   ip address 10.0.2.1/24 secondary"],
    expected: ["interface Vlan10", "   no ip address 10.0.1.1/24 secondary", "   exit"],
  },
  {
    name: "a route-map on a neighbor is removed with its full line",
    running: [
      "router bgp 65000",
      "   neighbor 10.0.0.1 remote-as 65001",
      "   neighbor 10.0.0.1 route-map RM-IN in",
    ],
    intended: ["router bgp 65000", "   neighbor 10.0.0.1 remote-as 65001"],
    expected: ["router bgp 65000", "   no neighbor 10.0.0.1 route-map RM-IN in", "   exit"],
  },
  {
    name: "shutdown of an interface",
    running: ["interface Ethernet1", "   description x", "   shutdown"],
    intended: ["interface Ethernet1", "   description x"],
    expected: ["interface Ethernet1", "   no shutdown", "   exit"],
  },
  {
    name: "a visible `no shutdown` goes back to the default",
    running: ["management xmpp", "   server 10.1.1.1", "   no shutdown"],
    intended: ["management xmpp", "   server 10.1.1.1"],
    expected: ["management xmpp", "   default shutdown", "   exit"],
  },
];

const sequencedLists: Case[] = [
  {
    name: "a changed ACL entry is replaced by its number",
    running: [
      "ip access-list ACL",
      "   10 permit ip 10.0.0.0/8 any",
      "   20 permit ip any any",
      "   30 deny ip any any",
    ],
    intended: [
      "ip access-list ACL",
      "   10 permit ip 10.0.0.0/8 any",
      "   20 deny ip 11.0.0.0/8 any",
      "   30 deny ip any any",
    ],
    expected: ["ip access-list ACL", "   no 20", "   20 deny ip 11.0.0.0/8 any", "   exit"],
  },
  {
    name: "an ACL entry added and one removed",
    running: ["ip access-list ACL", "   10 permit ip 10.0.0.0/8 any", "   20 deny ip any any"],
    intended: ["ip access-list ACL", "   15 permit ip 12.0.0.0/8 any", "   20 deny ip any any"],
    expected: ["ip access-list ACL", "   15 permit ip 12.0.0.0/8 any", "   no 10", "   exit"],
  },
  {
    name: "unnumbered entries in intended are numbered as EOS numbers them",
    running: ["ip access-list ACL", "   10 permit ip 10.0.0.0/8 any", "   20 deny ip any any"],
    intended: ["ip access-list ACL", "   permit ip 10.0.0.0/8 any", "   deny ip any any"],
    expected: [],
  },
  {
    name: "a whole ACL is one command",
    running: ["ip access-list ACL", "   10 permit ip any any", "   20 deny ip any any"],
    intended: [],
    expected: ["no ip access-list ACL"],
  },
  {
    name: "a prefix-list entry by sequence number",
    running: ["ip prefix-list PL seq 10 permit 10.0.0.0/8", "ip prefix-list PL seq 20 permit 11.0.0.0/8"],
    intended: [
      "ip prefix-list PL seq 10 permit 10.0.0.0/8",
      "ip prefix-list PL seq 20 permit 12.0.0.0/8 le 24",
    ],
    expected: ["no ip prefix-list PL seq 20", "ip prefix-list PL seq 20 permit 12.0.0.0/8 le 24"],
  },
  {
    name: "a whole prefix-list is one command",
    running: ["ip prefix-list PL seq 10 permit 10.0.0.0/8", "ip prefix-list PL seq 20 permit 11.0.0.0/8"],
    intended: [],
    expected: ["no ip prefix-list PL"],
  },
  {
    name: "one route-map entry, then a whole route-map",
    running: [
      "route-map A permit 10",
      "   set local-preference 100",
      "route-map A permit 20",
      "route-map B deny 10",
    ],
    intended: ["route-map A permit 10", "   set local-preference 200"],
    expected: [
      "route-map A permit 10",
      "   set local-preference 200",
      "   exit",
      "no route-map A permit 20",
      "no route-map B",
    ],
  },
];

const dependencyOrder: Case[] = [
  {
    name: "a vlan before the port that uses it; the old vlan after",
    running: ["vlan 10", "interface Ethernet1", "   switchport access vlan 10"],
    intended: ["interface Ethernet1", "   switchport access vlan 20", "vlan 20"],
    expected: [
      "vlan 20",
      "   exit",
      "interface Ethernet1",
      "   switchport access vlan 20",
      "   exit",
      "no vlan 10",
    ],
  },
  {
    name: "prefix-list before route-map before the neighbor; removals in reverse",
    running: [
      "ip prefix-list OLD seq 10 permit 10.0.0.0/8",
      "route-map RM-OLD permit 10",
      "   match ip address prefix-list OLD",
      "router bgp 65000",
      "   neighbor 10.0.0.1 remote-as 65001",
      "   neighbor 10.0.0.1 route-map RM-OLD in",
    ],
    intended: [
      "router bgp 65000",
      "   neighbor 10.0.0.1 remote-as 65001",
      "   neighbor 10.0.0.1 route-map RM-NEW in",
      "route-map RM-NEW permit 10",
      "   match ip address prefix-list NEW",
      "ip prefix-list NEW seq 10 permit 11.0.0.0/8",
    ],
    expected: [
      "ip prefix-list NEW seq 10 permit 11.0.0.0/8",
      "route-map RM-NEW permit 10",
      "   match ip address prefix-list NEW",
      "   exit",
      "router bgp 65000",
      "   neighbor 10.0.0.1 route-map RM-NEW in",
      "   exit",
      "no route-map RM-OLD",
      "no ip prefix-list OLD",
    ],
  },
  {
    name: "a peer group before the neighbor that joins it, removed after it leaves",
    running: ["router bgp 65000", "   neighbor OLD peer group", "   neighbor 10.0.0.1 peer group OLD"],
    intended: ["router bgp 65000", "   neighbor 10.0.0.1 peer group NEW", "   neighbor NEW peer group"],
    expected: [
      "router bgp 65000",
      "   neighbor NEW peer group",
      "   neighbor 10.0.0.1 peer group NEW",
      "   no neighbor OLD",
      "   exit",
    ],
  },
  {
    name: "new servers are added before old ones are removed",
    running: ["ntp server 10.0.0.1", "ntp server 10.0.0.2", "logging host 10.9.0.1"],
    intended: ["ntp server 10.0.0.2", "ntp server 10.0.0.3", "logging host 10.9.0.2"],
    expected: [
      "ntp server 10.0.0.3",
      "logging host 10.9.0.2",
      "no ntp server 10.0.0.1",
      "no logging host 10.9.0.1",
    ],
  },
  {
    name: "xmpp rooms: new room joined before an old one is left, unchanged rooms untouched",
    running: [
      "management xmpp",
      "   switch-group leafs@groups.lab",
      "   switch-group old@groups.lab",
      "   no shutdown",
    ],
    intended: [
      "management xmpp",
      "   switch-group leafs@groups.lab",
      "   switch-group new@groups.lab",
      "   no shutdown",
    ],
    expected: [
      "management xmpp",
      "   switch-group new@groups.lab",
      "   no switch-group old@groups.lab",
      "   exit",
    ],
  },
];

const sections: Case[] = [
  {
    name: "three levels deep",
    running: [
      "router bgp 65000",
      "   vrf red",
      "      address-family ipv4",
      "         neighbor 1.1.1.1 activate",
    ],
    intended: [
      "router bgp 65000",
      "   vrf red",
      "      address-family ipv4",
      "         neighbor 1.1.1.1 activate",
      "         neighbor 1.1.1.2 activate",
    ],
    expected: [
      "router bgp 65000",
      "   vrf red",
      "      address-family ipv4",
      "         neighbor 1.1.1.2 activate",
      "         exit",
      "      exit",
      "   exit",
    ],
  },
  {
    name: "a new nested block is created whole",
    running: ["router bgp 65000"],
    intended: [
      "router bgp 65000",
      "   vrf blue",
      "      rd 1:1",
      "      address-family ipv4",
      "         network 10.0.0.0/8",
    ],
    expected: [
      "router bgp 65000",
      "   vrf blue",
      "      rd 1:1",
      "      address-family ipv4",
      "         network 10.0.0.0/8",
      "         exit",
      "      exit",
      "   exit",
    ],
  },
  {
    name: "removing whole objects: one command each",
    running: [
      "interface Port-Channel10",
      "   description po",
      "   switchport mode trunk",
      "interface Ethernet5",
      "   description old",
      "   mtu 9000",
      "router bgp 65000",
      "   neighbor 10.0.0.1 remote-as 65001",
      "   neighbor 10.0.0.9 remote-as 65009",
      "   neighbor 10.0.0.9 description gone",
      "   neighbor 10.0.0.9 route-map RM in",
    ],
    intended: ["router bgp 65000", "   neighbor 10.0.0.1 remote-as 65001"],
    expected: [
      "router bgp 65000",
      "   no neighbor 10.0.0.9",
      "   exit",
      "default interface Ethernet5",
      "no interface Port-Channel10",
    ],
  },
  {
    name: "a whole top-level section",
    running: ["router bgp 65000", "   router-id 1.1.1.1", "   neighbor 10.0.0.1 remote-as 65001"],
    intended: [],
    expected: ["no router bgp 65000"],
  },
  {
    name: "banner: set as one multi-line command",
    running: ["banner login", "Old", "EOF"],
    intended: ["banner login", "Welcome to leaf1", "", "  authorised use only", "EOF"],
    expected: ["banner login", "Welcome to leaf1", "", "  authorised use only", "EOF"],
  },
  {
    name: "banner removed",
    running: ["hostname leaf1", "banner motd", "hello", "EOF"],
    intended: ["hostname leaf1"],
    expected: ["no banner motd"],
  },
];

const noOps: Case[] = [
  {
    name: "equal configs",
    running: ["hostname leaf1", "!", "interface Ethernet1", "   description x", "!", "end"],
    intended: ["hostname leaf1", "interface Ethernet1", "   description x"],
    expected: [],
  },
  {
    name: "whitespace-only differences: indentation width, trailing spaces, inner spaces, blank lines, CRLF",
    running: ["hostname leaf1", "interface Ethernet1", "   description uplink to spine", "   mtu 9214"],
    intended: [
      "hostname leaf1   \r",
      "",
      "interface Ethernet1\r",
      "  description  uplink to spine \r",
      "  mtu 9214\r",
    ],
    expected: [],
  },
  {
    name: "defaults EOS never shows are not drift",
    running: ["interface Ethernet1", "   description x", "interface Ethernet2", "vlan 10"],
    intended: [
      "interface Ethernet1",
      "   description x",
      "   no shutdown",
      "   switchport",
      "   switchport mode access",
      "interface Ethernet2",
      "   no shutdown",
      "vlan 10",
      "   state active",
    ],
    expected: [],
  },
  {
    name: "spelling EOS normalises: masks, vlan lists, folded vlans, order",
    running: [
      "vlan 10-12",
      "interface Ethernet1",
      "   switchport trunk allowed vlan 10-12,20",
      "   ip address 10.0.0.1/24",
    ],
    intended: [
      "interface Ethernet1",
      "   ip address 10.0.0.1 255.255.255.0",
      "   switchport trunk allowed vlan 20,10,11,12",
      "vlan 12",
      "vlan 11",
      "vlan 10",
    ],
    expected: [],
  },
  {
    name: "comments are not config",
    running: [
      "! Command: show running-config",
      "! device: leaf1",
      "hostname leaf1",
      "interface Ethernet1",
      "   !! to spine1",
      "   description x",
    ],
    intended: ["hostname leaf1", "interface Ethernet1", "   description x"],
    expected: [],
  },
];

const scopes: Case[] = [
  {
    name: "lines outside the managed sections are never touched",
    running: ["hostname leaf1", "snmp-server community public ro", "interface Ethernet1", "   description a"],
    intended: ["hostname leaf2", "interface Ethernet1", "   description b"],
    scope: { sections: ["interface"], ignore: [] },
    expected: ["interface Ethernet1", "   description b", "   exit"],
  },
  {
    name: "ignored lines are neither removed nor added",
    running: ["interface Ethernet1", "   description a", "   load-interval 5"],
    intended: ["interface Ethernet1", "   description a", "   mtu 9214"],
    scope: { sections: ["interface"], ignore: ["^load-interval ", "^mtu "] },
    expected: [],
  },
];

describe("remediate", () => {
  describe.each([
    ["set commands replace in place", setCommands],
    ["keyed negation", keyedNegation],
    ["sequenced lists", sequencedLists],
    ["dependency order", dependencyOrder],
    ["sections", sections],
    ["no-op", noOps],
    ["scope", scopes],
  ])("%s", (_family, cases) => {
    it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => check(c));
  });

  it("is deterministic: the same inputs give the same lines", () => {
    const running = parseConfig(
      ["vlan 10", "interface Ethernet1", "   switchport access vlan 10"].join("\n"),
    );
    const intended = parseConfig(
      ["vlan 20", "interface Ethernet1", "   switchport access vlan 20"].join("\n"),
    );
    const a = remediate(running, intended, ALL).commands;
    const b = remediate(
      parseConfig(["vlan 10", "interface Ethernet1", "   switchport access vlan 10"].join("\n")),
      intended,
      ALL,
    ).commands;
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });

  it("returns the running tree as the prediction when nothing is to be done", () => {
    const running = parseConfig("hostname leaf1\n");
    const result = remediate(running, parseConfig("hostname leaf1\n"), ALL);
    expect(result).toMatchObject({ commands: [], hasChanges: false });
    expect(result.predicted).toBe(running);
  });
});

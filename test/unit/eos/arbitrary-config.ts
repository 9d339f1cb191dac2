/** fast-check generators of EOS leaf configs, from a small vocabulary so that two configs overlap a lot. */
import fc from "fast-check";

const option = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const subset = <T>(values: T[]) => fc.subarray(values);

const vlanIds = [2, 3, 10, 11, 20, 30];
const peers = ["10.0.0.1", "10.0.0.3", "10.0.0.5", "10.0.0.9"];

const arbInterface = fc.record({
  name: fc.constantFrom(
    "Ethernet1",
    "Ethernet2",
    "Ethernet3",
    "Ethernet4/1",
    "Port-Channel10",
    "Loopback0",
    "Vlan10",
  ),
  description: option(fc.constantFrom("uplink", "to spine1", "server a")),
  shutdown: fc.boolean(),
  mtu: option(fc.constantFrom(1500, 9214)),
  l2: fc.oneof(
    fc.record({ kind: fc.constant("access" as const), vlan: option(fc.constantFrom(...vlanIds)) }),
    fc.record({ kind: fc.constant("trunk" as const), allowed: option(subset(vlanIds)) }),
    fc.record({
      kind: fc.constant("routed" as const),
      address: option(fc.constantFrom("10.1.0.1/31", "10.1.0.3/31")),
      secondaries: subset(["10.2.0.1/24", "10.3.0.1/24"]),
    }),
  ),
});

const arbRouteMapEntry = fc.record({
  seq: fc.constantFrom(10, 20, 30),
  action: fc.constantFrom("permit", "deny"),
  prefixList: option(fc.constantFrom("PL-A", "PL-B")),
  localPref: option(fc.constantFrom(100, 200)),
});

const arbNeighbor = fc.record({
  peer: fc.constantFrom(...peers),
  remoteAs: option(fc.constantFrom(65001, 65002)),
  description: option(fc.constantFrom("spine1", "spine2")),
  peerGroup: option(fc.constantFrom("SPINE", "LEAF")),
  routeMapIn: option(fc.constantFrom("RM-A", "RM-B")),
});

export const arbConfig = fc.record({
  hostname: fc.constantFrom("leaf1", "leaf2"),
  vlans: fc.uniqueArray(
    fc.record({ id: fc.constantFrom(...vlanIds), name: option(fc.constantFrom("WEB", "DB")) }),
    {
      selector: (v) => v.id,
      maxLength: 5,
    },
  ),
  interfaces: fc.uniqueArray(arbInterface, { selector: (i) => i.name, maxLength: 5 }),
  acl: option(
    fc.uniqueArray(
      fc.record({
        seq: fc.constantFrom(10, 20, 30, 40),
        rule: fc.constantFrom("permit ip any any", "deny ip 10.0.0.0/8 any", "permit tcp any any eq 22"),
      }),
      { selector: (e) => e.seq },
    ),
  ),
  prefixLists: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom("PL-A", "PL-B"),
      entries: fc.uniqueArray(
        fc.record({
          seq: fc.constantFrom(10, 20),
          prefix: fc.constantFrom("10.0.0.0/8", "11.0.0.0/8 le 24"),
        }),
        {
          selector: (e) => e.seq,
          minLength: 1,
        },
      ),
    }),
    { selector: (p) => p.name },
  ),
  routeMaps: fc.uniqueArray(
    fc.record({
      name: fc.constantFrom("RM-A", "RM-B"),
      entries: fc.uniqueArray(arbRouteMapEntry, { selector: (e) => e.seq, minLength: 1, maxLength: 2 }),
    }),
    { selector: (r) => r.name },
  ),
  bgp: option(
    fc.record({
      routerId: option(fc.constantFrom("1.1.1.1", "1.1.1.2")),
      peerGroups: subset(["SPINE", "LEAF"]),
      neighbors: fc.uniqueArray(arbNeighbor, { selector: (n) => n.peer, maxLength: 3 }),
      vrf: option(
        fc.record({
          rd: option(fc.constantFrom("1:1", "1:2")),
          activate: subset(peers.slice(0, 2)),
          networks: subset(["10.9.0.0/16", "10.8.0.0/16"]),
        }),
      ),
    }),
  ),
  ntp: subset(["10.0.0.101", "10.0.0.102", "10.0.0.103"]),
  xmpp: option(
    fc.record({
      server: fc.constantFrom("10.5.0.1", "10.5.0.2"),
      username: fc.constantFrom("leaf1@lab", "leaf2@lab"),
      password: fc.constantFrom("7 0A1B", "7 0C1D"),
      rooms: subset(["leafs@groups.lab", "pod1@groups.lab", "all@groups.lab"]),
      enabled: fc.boolean(),
    }),
  ),
  banner: option(
    fc.array(fc.constantFrom("Welcome", "", "  authorised use only", "! not a comment"), {
      minLength: 1,
      maxLength: 3,
    }),
  ),
  unmanaged: subset(["snmp-server community public ro", "snmp-server location dc1", "daemon TerminAttr"]),
});

export type ArbitraryConfig = typeof arbConfig extends fc.Arbitrary<infer T> ? T : never;

export const MANAGED_SECTIONS = [
  "hostname",
  "vlan",
  "interface",
  "ip access-list",
  "ip prefix-list",
  "route-map",
  "router bgp",
  "ntp",
  "management xmpp",
  "banner",
];

/** How a person might spell a config that EOS would show differently (all of it must be normalised away). */
export interface Spelling {
  indent: number;
  explicitDefaults: boolean;
  unnumberedAcl: boolean;
  masks: boolean;
  foldedVlans: boolean;
}

export const EOS_SPELLING: Spelling = {
  indent: 3,
  explicitDefaults: false,
  unnumberedAcl: false,
  masks: false,
  foldedVlans: false,
};

export const arbSpelling: fc.Arbitrary<Spelling> = fc.record({
  indent: fc.constantFrom(2, 3, 4),
  explicitDefaults: fc.boolean(),
  unnumberedAcl: fc.boolean(),
  masks: fc.boolean(),
  foldedVlans: fc.boolean(),
});

const MASKS: Record<string, string> = { "31": "255.255.255.254", "24": "255.255.255.0" };

/** Renders the model as config text: EOS layout by default, or another spelling of the same config. */
export function renderArbitraryConfig(config: ArbitraryConfig, spelling: Spelling = EOS_SPELLING): string {
  const text = renderEos(config, spelling);
  if (spelling.indent === 3) return text;
  return text.replace(/^((?: {3})+)/gm, (lead: string) => " ".repeat((lead.length / 3) * spelling.indent));
}

function address(cidr: string, spelling: Spelling): string {
  if (!spelling.masks) return cidr;
  const [ip, length] = cidr.split("/");
  return `${ip} ${MASKS[length!]}`;
}

function renderEos(config: ArbitraryConfig, spelling: Spelling): string {
  const out: string[] = [`hostname ${config.hostname}`, "!"];
  for (const line of config.unmanaged) out.push(line);
  const bare = config.vlans.filter((vlan) => !vlan.name).map((vlan) => vlan.id);
  if (spelling.foldedVlans && bare.length > 1) out.push(`vlan ${bare.join(",")}`, "!");
  for (const vlan of config.vlans) {
    if (spelling.foldedVlans && bare.length > 1 && !vlan.name) continue;
    out.push(`vlan ${vlan.id}`);
    if (vlan.name) out.push(`   name ${vlan.name}`);
    if (spelling.explicitDefaults) out.push("   state active");
    out.push("!");
  }
  for (const intf of config.interfaces) {
    out.push(`interface ${intf.name}`);
    if (intf.description) out.push(`   description ${intf.description}`);
    if (intf.shutdown) out.push("   shutdown");
    else if (spelling.explicitDefaults) out.push("   no shutdown");
    if (intf.mtu) out.push(`   mtu ${intf.mtu}`);
    const l2 = intf.l2;
    if (l2.kind === "access" && spelling.explicitDefaults)
      out.push("   switchport", "   switchport mode access");
    if (l2.kind === "access" && l2.vlan) out.push(`   switchport access vlan ${l2.vlan}`);
    if (l2.kind === "trunk") {
      out.push("   switchport mode trunk");
      if (l2.allowed)
        out.push(`   switchport trunk allowed vlan ${l2.allowed.length ? l2.allowed.join(",") : "none"}`);
    }
    if (l2.kind === "routed") {
      out.push("   no switchport");
      if (l2.address) {
        out.push(`   ip address ${address(l2.address, spelling)}`);
        for (const secondary of l2.secondaries)
          out.push(`   ip address ${address(secondary, spelling)} secondary`);
      }
    }
    out.push("!");
  }
  if (config.acl) {
    out.push("ip access-list ACL-MGMT");
    for (const entry of [...config.acl].sort((a, b) => a.seq - b.seq))
      out.push(`   ${entry.seq} ${entry.rule}`);
    out.push("!");
  }
  for (const list of config.prefixLists) {
    for (const entry of list.entries)
      out.push(`ip prefix-list ${list.name} seq ${entry.seq} permit ${entry.prefix}`);
  }
  for (const map of config.routeMaps) {
    for (const entry of map.entries) {
      out.push(`route-map ${map.name} ${entry.action} ${entry.seq}`);
      if (entry.prefixList) out.push(`   match ip address prefix-list ${entry.prefixList}`);
      if (entry.localPref) out.push(`   set local-preference ${entry.localPref}`);
      out.push("!");
    }
  }
  if (config.bgp) {
    const bgp = config.bgp;
    out.push("router bgp 65000");
    if (bgp.routerId) out.push(`   router-id ${bgp.routerId}`);
    for (const group of bgp.peerGroups) out.push(`   neighbor ${group} peer group`);
    for (const n of bgp.neighbors) {
      if (n.peerGroup) out.push(`   neighbor ${n.peer} peer group ${n.peerGroup}`);
      if (n.remoteAs) out.push(`   neighbor ${n.peer} remote-as ${n.remoteAs}`);
      if (n.description) out.push(`   neighbor ${n.peer} description ${n.description}`);
      if (n.routeMapIn) out.push(`   neighbor ${n.peer} route-map ${n.routeMapIn} in`);
    }
    if (bgp.vrf) {
      out.push("   vrf red");
      if (bgp.vrf.rd) out.push(`      rd ${bgp.vrf.rd}`);
      if (bgp.vrf.activate.length > 0 || bgp.vrf.networks.length > 0) {
        out.push("      address-family ipv4");
        for (const peer of bgp.vrf.activate) out.push(`         neighbor ${peer} activate`);
        for (const net of bgp.vrf.networks) out.push(`         network ${net}`);
        out.push("      !");
      }
      out.push("   !");
    }
    out.push("!");
  }
  for (const server of config.ntp) out.push(`ntp server ${server}`);
  if (config.xmpp) {
    const x = config.xmpp;
    out.push(
      "management xmpp",
      `   server ${x.server}`,
      `   username ${x.username}`,
      `   password ${x.password}`,
    );
    for (const room of x.rooms) out.push(`   switch-group ${room}`);
    out.push(x.enabled ? "   no shutdown" : "   shutdown", "!");
  }
  if (config.banner) out.push("banner login", ...config.banner, "EOF", "!");
  out.push("end");
  return `${out.join("\n")}\n`;
}

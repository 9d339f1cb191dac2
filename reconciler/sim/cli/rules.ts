/**
 * What the simulated EOS CLI knows about config commands, as data (shared/reference/eos-xmpp.md §4.5):
 * per mode, the command keywords it accepts and how each behaves.
 *   set     single-valued: re-entering replaces the line in place (identity = the first `key` words)
 *   multi   accumulates; only an explicit `no` removes an entry
 *   toggle  `X` and `no X` are both stored values (shutdown, ip routing, switchport)
 *   section enters a sub-mode of `kind`
 *   negated-list  one shown `no X LIST` line; `no X L` adds L to it, `X L` takes L out
 * A word `*` matches any one token, `#` a number. A top-level keyword missing from the tables is
 * `% Invalid input`; a sub-mode command no table names is stored as typed (config-edit.ts).
 */

export type RuleMode = "set" | "multi" | "toggle" | "section" | "negated-list";

export interface Rule {
  words: string[];
  mode: RuleMode;
  /** Tokens after `words` that the command needs at least (else `% Incomplete command`). */
  min?: number;
  /** Identity length in tokens for `set`/`toggle` (default: words.length). */
  key?: number;
  /** Sub-mode kind for `section`. */
  kind?: string;
  /** `ip address A secondary` accumulates while `ip address A` replaces. */
  secondaryIsMulti?: boolean;
  /** The identity of a `set` line when it is not a prefix of its tokens (options in between). */
  identify?: (tokens: string[]) => string;
  /** `no X` that removes nothing is stored: it overrides an inherited value (`no neighbor X bfd`). */
  storesNegation?: boolean;
  /** The last token is part of the identity too (`neighbor X route-map RM in` vs `… out`). */
  keyLast?: boolean;
  /** The rule matches only a line of exactly its words (`ip prefix-list NAME` opens the list's mode). */
  exact?: boolean;
}

function optionAfter(tokens: string[], word: string): string {
  const at = tokens.indexOf(word);
  return at >= 0 ? (tokens[at + 1] ?? "") : "";
}

/** The first `words` tokens and the IS-IS level the line ends with, if any. */
function perLevel(words: number): (tokens: string[]) => string {
  return (tokens) => {
    const last = tokens.at(-1) ?? "";
    return `${tokens.slice(0, words).join(" ")} ${/^level-[12]$/.test(last) ? last : ""}`;
  };
}

function hostAndVrf(tokens: string[]): string {
  return `${tokens[0]} host ${tokens[2]} vrf ${optionAfter(tokens, "vrf")}`;
}

function snmpReceiver(tokens: string[]): string {
  const rest = tokens.slice(3).filter((t, i, all) => !["vrf", "version"].includes(all[i - 1] ?? ""));
  const user = rest.filter(
    (t) => !["vrf", "version", "traps", "informs", "auth", "noauth", "priv"].includes(t),
  )[0];
  return `snmp-server host ${tokens[2]} vrf ${optionAfter(tokens, "vrf")} version ${optionAfter(tokens, "version")} ${user ?? ""}`;
}

const r = (words: string, mode: RuleMode, extra: Omit<Rule, "words" | "mode"> = {}): Rule => ({
  words: words.split(" "),
  mode,
  ...extra,
});

const TOP: Rule[] = [
  r("hostname", "set", { min: 1 }),
  r("ip routing vrf *", "toggle"),
  r("ip routing", "toggle", { exact: true }),
  r("ipv6 unicast-routing vrf *", "toggle"),
  r("ip route", "multi", { min: 2 }),
  r("ip name-server", "multi", { min: 1 }),
  r("ip domain-name", "set", { min: 1 }),
  r("ip domain lookup", "set", { min: 1 }),
  r("ip access-list", "section", { min: 1, kind: "acl" }),
  r("ip prefix-list * seq #", "set", { min: 2 }),
  // EOS 4.2x shows a prefix list as a block of `seq N …` entries under `ip prefix-list NAME`.
  r("ip prefix-list *", "section", { kind: "prefix-list", exact: true }),
  r("ipv6 prefix-list *", "section", { kind: "prefix-list", exact: true }),
  r("ip prefix-list", "multi", { min: 2 }),
  r("ip virtual-router mac-address", "set", { min: 1 }),
  r("ip igmp snooping", "multi"),
  r("ip ssh", "multi", { min: 1 }),
  r("ipv6 unicast-routing", "multi"),
  r("ipv6 access-list", "section", { min: 1, kind: "acl" }),
  r("ipv6 route", "multi", { min: 2 }),
  r("dns domain", "set", { min: 1 }),
  // One line per server and VRF: `ntp server vrf MGMT a` and `… vrf MGMT b` are two servers.
  r("ntp server vrf *", "set", { min: 1, key: 5 }),
  r("ntp server *", "set", { min: 0 }),
  r("ntp", "multi", { min: 1 }),
  r("logging host *", "set"),
  r("logging buffered", "set", { min: 0 }),
  r("logging", "multi", { min: 1 }),
  r("username * ssh-key secondary", "set", { min: 1 }),
  r("username * ssh-key", "set", { min: 1 }),
  r("username *", "set", { min: 0 }),
  // EOS shows `no enable password` when none is set; a password replaces it.
  r("enable password", "toggle"),
  r("enable secret", "toggle"),
  r("enable", "set", { min: 1 }),
  r("aaa", "multi", { min: 1 }),
  r("radius-server", "multi", { min: 1 }),
  // A server is one per host and VRF, wherever the `vrf` option stands; other options change in place.
  r("tacacs-server host", "set", { min: 1, identify: hostAndVrf }),
  r("radius-server host", "set", { min: 1, identify: hostAndVrf }),
  r("tacacs-server", "multi", { min: 1 }),
  r("spanning-tree mode", "set", { min: 1 }),
  r("spanning-tree vlan-id", "negated-list", { min: 1 }),
  r("spanning-tree", "multi", { min: 1 }),
  // A notification receiver: one per host, VRF, version and community / user.
  r("snmp-server host", "set", { min: 1, identify: snmpReceiver }),
  r("snmp-server", "multi", { min: 1 }),
  r("service", "multi", { min: 1 }),
  r("transceiver", "multi", { min: 1 }),
  r("clock timezone", "set", { min: 1 }),
  r("boot system", "set", { min: 1 }),
  r("errdisable", "multi", { min: 1 }),
  r("lldp", "multi", { min: 1 }),
  r("lacp", "multi", { min: 1 }),
  r("load-interval", "set", { min: 1 }),
  r("sflow", "multi", { min: 1 }),
  r("alias", "multi", { min: 2 }),
  r("banner", "multi", { min: 1 }),
  r("interface", "section", { min: 1, kind: "interface" }),
  // `vlan 10` / `vlan 10-12,20` enter VLAN mode; `vlan internal order …` is a global setting.
  r("vlan #list", "section", { kind: "vlan" }),
  r("vrf instance", "section", { min: 1, kind: "generic" }),
  r("router bgp", "section", { min: 1, kind: "router-bgp" }),
  r("router ospf", "section", { min: 1, kind: "router-ospf" }),
  r("router isis", "section", { min: 1, kind: "router-isis" }),
  r("router", "section", { min: 1, kind: "generic" }),
  r("management xmpp", "section", { kind: "mgmt-xmpp" }),
  r("management api", "section", { min: 1, kind: "mgmt-api" }),
  r("management", "section", { min: 1, kind: "generic" }),
  r("route-map", "section", { min: 1, kind: "route-map" }),
  r("mlag configuration", "section", { kind: "mlag" }),
  r("daemon", "section", { min: 1, kind: "daemon" }),
  r("event-handler", "section", { min: 1, kind: "generic" }),
  r("policy-map", "section", { min: 1, kind: "generic" }),
  r("class-map", "section", { min: 1, kind: "generic" }),
  r("monitor", "multi", { min: 1 }),
  r("queue-monitor", "multi", { min: 1 }),
  r("platform", "multi", { min: 1 }),
  r("hardware", "multi", { min: 1 }),
  r("system", "multi", { min: 1 }),
];

const INTERFACE: Rule[] = [
  r("description", "set", { min: 1 }),
  r("ip address virtual", "set", { min: 1 }),
  r("ip address", "set", { min: 1, secondaryIsMulti: true }),
  r("ip helper-address", "multi", { min: 1 }),
  r("ip ospf", "multi", { min: 1 }),
  r("ip pim", "multi", { min: 1 }),
  r("ip igmp", "multi", { min: 1 }),
  r("ip proxy-arp", "toggle"),
  r("ip access-group", "multi", { min: 2 }),
  r("ip virtual-router address", "multi", { min: 1 }),
  r("ipv6", "multi", { min: 1 }),
  r("mtu", "set", { min: 1 }),
  r("shutdown", "toggle"),
  r("switchport mode", "set", { min: 1 }),
  r("switchport access vlan", "set", { min: 1 }),
  r("switchport trunk allowed vlan", "set", { min: 1 }),
  r("switchport trunk native vlan", "set", { min: 1 }),
  r("switchport trunk group", "multi", { min: 1 }),
  r("switchport", "toggle"),
  r("speed", "set", { min: 1 }),
  r("channel-group", "set", { min: 1, key: 1 }),
  r("spanning-tree portfast", "toggle"),
  r("spanning-tree", "multi", { min: 1 }),
  r("vrf", "set", { min: 1 }),
  r("mlag", "set", { min: 1 }),
  r("load-interval", "set", { min: 1 }),
  r("lacp", "multi", { min: 1 }),
  r("storm-control", "multi", { min: 1 }),
  r("service-policy", "multi", { min: 1 }),
  r("encapsulation dot1q vlan", "set", { min: 1 }),
  r("mac-address", "set", { min: 1 }),
  r("bfd", "multi", { min: 1 }),
  r("vxlan", "multi", { min: 1 }),
  r("errdisable", "multi", { min: 1 }),
  r("lldp", "multi", { min: 1 }),
  // One key and one mode per IS-IS level (the level is the last word, when given).
  r("isis authentication", "set", { min: 2, identify: perLevel(3) }),
];

// A neighbor's policies are one per direction.
const NEIGHBOR_POLICY = [
  // BFD on/off and its timers are two lines.
  r("neighbor * bfd interval", "set", { min: 1 }),
  r("neighbor * missing-policy direction", "set", { min: 1, key: 5 }),
  // A route control function per direction.
  r("neighbor * rcf", "set", { min: 2, key: 4 }),
  r("neighbor * route-map", "set", { min: 2, keyLast: true }),
  r("neighbor * prefix-list", "set", { min: 2, keyLast: true }),
];
// A neighbor's `no X` overrides what its peer group sets: EOS shows it.
const NEIGHBOR = r("neighbor *", "set", { min: 1, key: 3, storesNegation: true });

const RULES: Record<string, Rule[]> = {
  top: TOP,
  interface: INTERFACE,
  vlan: [r("name", "set", { min: 1 }), r("state", "set", { min: 1 }), r("trunk group", "multi", { min: 1 })],
  "router-bgp": [
    r("router-id", "set", { min: 1 }),
    ...NEIGHBOR_POLICY,
    NEIGHBOR,
    r("network", "multi", { min: 1 }),
    r("redistribute * match", "set", { min: 1, key: 4 }),
    r("redistribute", "set", { min: 1, key: 2 }),
    r("maximum-paths", "set", { min: 1 }),
    r("bgp", "multi", { min: 1 }),
    r("timers bgp", "set", { min: 1 }),
    r("distance bgp", "set", { min: 1 }),
    r("graceful-restart", "multi"),
    r("shutdown", "toggle"),
    r("vlan-aware-bundle", "section", { min: 1, kind: "generic" }),
    r("vlan", "section", { min: 1, kind: "generic" }),
    r("vrf", "section", { min: 1, kind: "bgp-vrf" }),
    r("address-family", "section", { min: 1, kind: "bgp-af" }),
  ],
  "bgp-vrf": [
    r("rd", "set", { min: 1 }),
    r("route-target", "multi", { min: 2 }),
    r("router-id", "set", { min: 1 }),
    ...NEIGHBOR_POLICY,
    NEIGHBOR,
    r("network", "multi", { min: 1 }),
    r("redistribute * match", "set", { min: 1, key: 4 }),
    r("redistribute", "set", { min: 1, key: 2 }),
    r("maximum-paths", "set", { min: 1 }),
    r("address-family", "section", { min: 1, kind: "bgp-af" }),
  ],
  // An address family shows `no neighbor X activate` for a peer it would activate by default.
  "bgp-af": [
    // The EVPN domain identifier, local and `remote`, is set in place.
    r("domain identifier", "set", {
      min: 1,
      identify: (t) => `domain identifier ${t.at(-1) === "remote" ? "remote" : ""}`,
    }),
    r("neighbor * activate", "toggle"),
    ...NEIGHBOR_POLICY,
    NEIGHBOR,
    r("network", "multi", { min: 1 }),
    r("redistribute * match", "set", { min: 1, key: 4 }),
    r("redistribute", "set", { min: 1, key: 2 }),
  ],
  "router-isis": [
    r("net", "set", { min: 1 }),
    r("router-id", "set", { min: 2, key: 2 }),
    r("is-hostname", "set", { min: 1 }),
    r("is-type", "set", { min: 1 }),
    r("authentication", "set", { min: 2, identify: perLevel(2) }),
    r("address-family", "section", { min: 1, kind: "generic" }),
    r("segment-routing", "section", { min: 1, kind: "generic" }),
  ],
  "router-ospf": [
    r("router-id", "set", { min: 1 }),
    r("network", "multi", { min: 2 }),
    r("passive-interface", "multi", { min: 1 }),
    r("max-lsa", "set", { min: 1 }),
    r("redistribute", "set", { min: 1, key: 2 }),
    r("area", "multi", { min: 2 }),
    r("maximum-paths", "set", { min: 1 }),
    r("shutdown", "toggle"),
  ],
  "mgmt-xmpp": [
    r("server", "set", { min: 1 }),
    r("domain", "set", { min: 1 }),
    r("username", "set", { min: 1 }),
    r("password", "set", { min: 1 }),
    r("switch-group", "multi", { min: 1 }),
    r("session privilege", "set", { min: 1 }),
    r("vrf", "set", { min: 1 }),
    r("connection unencrypted permit", "toggle"),
    r("shutdown", "toggle"),
  ],
  "mgmt-api": [
    r("protocol", "set", { min: 1, key: 2 }),
    r("shutdown", "toggle"),
    r("vrf", "section", { min: 1, kind: "generic" }),
    r("cors", "multi", { min: 1 }),
  ],
  acl: [
    r("#", "set", { min: 1 }),
    r("permit", "multi", { min: 1 }),
    r("deny", "multi", { min: 1 }),
    r("remark", "multi", { min: 1 }),
    r("statistics per-entry", "toggle"),
  ],
  "route-map": [
    r("match", "multi", { min: 1 }),
    r("set", "set", { min: 1, key: 2 }),
    r("description", "set", { min: 1 }),
    r("continue", "set"),
  ],
  mlag: [
    r("domain-id", "set", { min: 1 }),
    r("local-interface", "set", { min: 1 }),
    r("peer-address heartbeat", "set", { min: 1 }),
    r("peer-address", "set", { min: 1 }),
    r("peer-link", "set", { min: 1 }),
    r("reload-delay", "set", { min: 1, key: 2 }),
    r("shutdown", "toggle"),
  ],
  // A daemon runs one program: a new `exec` line replaces the old one.
  daemon: [r("exec", "set", { min: 1 }), r("shutdown", "toggle")],
  "prefix-list": [r("seq #", "set", { min: 2, key: 2 })],
  // sections the simulator does not model in detail: any sub-command is stored as given
  generic: [],
};

export function rulesFor(kind: string): Rule[] {
  return RULES[kind] ?? [];
}

export function isGeneric(kind: string): boolean {
  return kind === "generic";
}

function wordMatches(pattern: string, token: string | undefined): boolean {
  if (token === undefined) return false;
  if (pattern === "*") return true;
  if (pattern === "#") return /^\d+$/.test(token);
  if (pattern === "#list") return /^\d[\d,-]*$/.test(token);
  return pattern === token;
}

/** The first rule of `kind` whose words start the tokens. */
export function matchRule(kind: string, tokens: string[]): Rule | undefined {
  return rulesFor(kind).find(
    (rule) =>
      // A toggle is a bare command: `switchport phone vlan 70` is not the `switchport` toggle.
      ((!rule.exact && rule.mode !== "toggle") || tokens.length === rule.words.length) &&
      rule.words.every((w, i) => wordMatches(w, tokens[i])),
  );
}

/** First words of global-configuration commands the simulator stores as typed when no rule names them. */
const TOP_LEVEL_WORDS = new Set(
  (
    "aaa agent alias application banner boot class-map clock cvx daemon dns dot1x enable errdisable " +
    "event-handler event-monitor flow group hardware hostname interface ip ipv6 l2-protocol lacp link " +
    "lldp load-interval logging mac maintenance management match-list mlag monitor mpls ntp patch " +
    "peer-filter platform policy-map port-channel priority-flow-control ptp qos queue-monitor " +
    "radius-server redundancy role route-map router service sflow snmp-server spanning-tree stun " +
    "switchport system tacacs-server tap traffic-policies transceiver username vlan vmtracer vrf"
  ).split(" "),
);

export function isTopLevelWord(word: string): boolean {
  return TOP_LEVEL_WORDS.has(word);
}

/**
 * Routing processes EOS runs once (per VRF): entering a second instance is refused, so the old one must
 * be removed first. `scope` says which instances exclude each other.
 */
const SINGLE_INSTANCE: {
  match: RegExp;
  scope: (m: RegExpExecArray) => string;
  refuse: (other: RegExpExecArray) => string;
}[] = [
  // `% BGP is already running with AS number 65100` [EOS, issue 12].
  {
    match: /^router bgp (\S+)$/,
    scope: () => "bgp",
    refuse: (o) => `% BGP is already running with AS number ${o[1]}`,
  },
  {
    match: /^router isis (\S+)$/,
    scope: () => "isis",
    refuse: (o) => `% IS-IS instance ${o[1]} is already configured`,
  },
  // The default VRF runs many OSPF instances; any other VRF one.
  {
    match: /^router ospf (\d+) vrf (\S+)$/,
    scope: (m) => `ospf ${m[2]}`,
    refuse: (o) => `% OSPF instance ${o[1]} is already configured in this VRF`,
  },
  {
    match: /^router ospfv3(?: vrf (\S+))?$/,
    scope: (m) => `ospfv3 ${m[1] ?? "default"}`,
    refuse: () => "% OSPFv3 is already configured in this VRF",
  },
];

/** The refusal for entering section `text` next to `siblings`, or undefined. */
export function singleInstanceConflict(text: string, siblings: string[]): string | undefined {
  for (const rule of SINGLE_INSTANCE) {
    const m = rule.match.exec(text);
    if (!m) continue;
    for (const sibling of siblings) {
      const o = rule.match.exec(sibling);
      if (o && sibling !== text && rule.scope(o) === rule.scope(m)) return rule.refuse(o);
    }
  }
  return undefined;
}

/** Lines EOS does not show under a block because they are its defaults: shown or not, the same config. */
const HIDDEN_DEFAULTS: { header: RegExp; lines: ReadonlySet<string> }[] = [
  // A port is up and switched unless configured otherwise; `show running-config` omits both.
  {
    header: /^interface (?:Ethernet|Port-Channel|Management)/,
    lines: new Set(["no shutdown", "switchport", "switchport mode access"]),
  },
  { header: /^interface (?:Vlan|Loopback|Vxlan|Tunnel|Dps)/, lines: new Set(["no shutdown"]) },
];

/** Global lines that delete something and are never shown: `no username admin` removes the account. */
const NEVER_SHOWN = /^no username \S+$/;

export function isHiddenDefault(header: string, line: string): boolean {
  if (header === "") return NEVER_SHOWN.test(line);
  return HIDDEN_DEFAULTS.some((d) => d.lines.has(line) && d.header.test(header));
}

/** Order of top-level blocks in `show running-config` (EOS prints by feature, not by entry order). */
const TOP_ORDER = [
  "transceiver",
  "service",
  "hostname",
  "ip name-server",
  "ip domain-name",
  "dns",
  "ntp",
  "snmp-server",
  "spanning-tree",
  "aaa",
  "enable",
  "username",
  "clock",
  "vlan",
  "vrf",
  "interface",
  "ip access-list",
  "ip prefix-list",
  "route-map",
  "ip virtual-router",
  "ip routing",
  "no ip routing",
  "ipv6",
  "ip route",
  "mlag",
  "router",
  "management",
];

export function topLevelRank(text: string): number {
  let best = -1;
  let bestLength = -1;
  TOP_ORDER.forEach((prefix, i) => {
    if ((text === prefix || text.startsWith(`${prefix} `)) && prefix.length > bestLength) {
      best = i;
      bestLength = prefix.length;
    }
  });
  return best === -1 ? TOP_ORDER.length : best;
}

/** A physical port (`interface Ethernet1`, `interface Management1`): it cannot be created or deleted. */
export function isPhysicalPort(text: string): boolean {
  return /^interface (?:Ethernet|Management)\d+(?:\/\d+)*$/.test(text);
}

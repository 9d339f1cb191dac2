/**
 * Everything the engine knows about EOS, as tables. The algorithm (classify, remediate, apply) reads
 * these and never tests command text itself.
 *
 * Sources: reference/eos-xmpp.md §3–4 (running-config format, set vs multi-valued commands, sessions);
 * hier_config's EOS driver (idempotent commands). Facts marked [inferred] follow EOS/IOS CLI conventions
 * and should be confirmed on a switch.
 *
 * Templates: `$0` is the part of the line the rule's pattern matched, `$1`… its groups.
 */
import { canonicalIpAddress, canonicalVlanList, expandVlanList } from "./value-forms.ts";

/** A configuration mode (a block whose children are commands of that mode). */
export interface ModeRule {
  name: string;
  /** Modes whose children may enter this mode; "root" is global configuration. */
  in: readonly string[];
  match: RegExp;
  /** Entries carry a sequence number; lines entered without one are numbered `step` after the last. */
  sequenced?: { unnumbered: RegExp; step: number; number: string };
}

export type ReplaceStyle = "in-place" | "remove-first";

export interface LineRule {
  /** Modes the rule applies in; "*" for every mode. */
  in: readonly string[] | "*";
  match: RegExp;
  /** Identity of the setting: two lines with one key are one setting with two values. Default "$0". */
  key?: string;
  /** The command that removes the line. Default `no <key>` (`default <key>` for a visible `no …` line). */
  negate?: string;
  /** Lines of one object (all lines of a neighbor, all entries of a list) that one command removes. */
  group?: string;
  /** Default `no <group>`. */
  groupNegate?: string;
  /** How a new value replaces an old one of the same key. Default in-place (just enter the new line). */
  replace?: ReplaceStyle;
  /**
   * With `replace: "remove-first"` on a block: what stops while the old block is gone and the new one
   * is not yet entered (the plan says so).
   */
  tearsDown?: string;
  /** Creation order among siblings (low first); removals run in the reverse order. Default 50. */
  rank?: number;
  /** EOS never shows this line in running-config (a default): normalised away. */
  hidden?: boolean;
  /** The object always exists (a physical port): removal resets it, and a bare one equals none. */
  persistent?: boolean;
  /** The command takes a multi-line value ended by a line equal to `terminator`. */
  multiline?: { terminator: string };
  /** Rewrites the line into the form EOS shows (so spelling differences are not drift). */
  canonical?: (m: RegExpExecArray) => string;
  /** EOS shows one line for several objects (`vlan 10-12`): split into one line per object. */
  expand?: (m: RegExpExecArray) => string[];
  /** An incremental edit of a list-valued setting (`… add 30`): the predictor merges it into `base`. */
  listEdit?: {
    base: string;
    op: "add" | "remove";
    items: string;
    /** The key of the line edited, when not `base`. */
    key?: string;
    /** The list when no line exists (default "all": a trunk allows every VLAN). */
    absent?: string;
    /** An empty list removes the line (the setting is back at its default). */
    dropsWhenEmpty?: boolean;
  };
  /**
   * A VLAN-list setting changed by adding and taking out VLANs (never all at once): `add` and `remove`
   * are the commands, `$items` the VLANs; the rule's first group is the line's list.
   */
  vlanListDelta?: { add: string; remove: string };
}

const INTERFACE_CONTEXTS = ["interface"];
const BGP_CONTEXTS = ["bgp", "bgp-vrf"];

export const MODE_RULES: readonly ModeRule[] = [
  { name: "interface", in: ["root"], match: /^interface \S+$/ },
  { name: "vlan", in: ["root"], match: /^vlan \d[\d,-]*$/ },
  { name: "vrf-instance", in: ["root"], match: /^vrf (?:instance|definition) \S+$/ },
  {
    name: "acl",
    in: ["root"],
    match: /^(?:ip|ipv6|mac) access-list (?:standard )?\S+$/,
    // EOS numbers ACL entries 10, 20, … and shows the numbers in running-config [confirmed S7 samples].
    // `permit response traffic nat` is shown without a number: it is not an entry of the list.
    sequenced: {
      unnumbered: /^(?:permit|deny|remark) (?!response traffic nat$)/,
      step: 10,
      number: "$seq $line",
    },
  },
  {
    name: "prefix-list",
    in: ["root"],
    match: /^(?:ip|ipv6) prefix-list \S+$/,
    sequenced: { unnumbered: /^(?:permit|deny) /, step: 10, number: "seq $seq $line" },
  },
  { name: "route-map", in: ["root"], match: /^route-map \S+ (?:permit|deny) \d+$/ },
  { name: "bgp", in: ["root"], match: /^router bgp \S+$/ },
  { name: "bgp-vrf", in: ["bgp"], match: /^vrf \S+$/ },
  { name: "bgp-af", in: ["bgp", "bgp-vrf"], match: /^address-family \S+(?: \S+)?$/ },
  { name: "ospf", in: ["root"], match: /^router ospf \d+(?: vrf \S+)?$/ },
  { name: "isis", in: ["root"], match: /^router isis \S+$/ },
  // Every `router …` line opens a mode, even shown without settings (`router traffic-engineering`):
  // the script leaves it with `exit`, so the next line is not taken for one of its commands.
  { name: "router", in: ["root"], match: /^router \S+/ },
  { name: "mgmt-xmpp", in: ["root"], match: /^management xmpp$/ },
  { name: "mgmt", in: ["root"], match: /^management \S+(?: \S+)?$/ },
  { name: "mlag", in: ["root"], match: /^mlag configuration$/ },
  { name: "daemon", in: ["root"], match: /^daemon \S+$/ },
];

/** Rules are tried in order within a mode; mode-specific tables come before the "*" table. */
export const LINE_RULES: readonly LineRule[] = [
  // ---- global configuration ------------------------------------------------------------------
  { in: ["root"], match: /^vrf (?:instance|definition) \S+$/, rank: 5 },
  {
    in: ["root"],
    match: /^vlan (\d[\d,-]*[,-][\d,-]*)$/,
    // EOS folds VLANs without settings into one line (`vlan 10-12,20`) [inferred from `show vlan`
    // style]: one node per VLAN so that one VLAN can be added or removed.
    expand: (m) => expandVlanList(m[1]!).map((id) => `vlan ${id}`),
  },
  { in: ["root"], match: /^vlan \d+$/, rank: 10 },
  {
    in: ["root"],
    match: /^(ip|ipv6) prefix-list (\S+) seq (\d+) .*$/,
    key: "$1 prefix-list $2 seq $3",
    group: "$1 prefix-list $2",
    // A sequence number cannot be re-entered with another rule: IOS answers "% Duplicate sequence
    // number" (ansible cisco.ios acls module works around it the same way) and EOS is assumed to
    // [inferred]. The changed entry is removed by number, then entered again, next to each other.
    replace: "remove-first",
    rank: 20,
  },
  { in: ["root"], match: /^(?:ip|ipv6) prefix-list \S+$/, rank: 20 },
  { in: ["root"], match: /^(?:ip|ipv6|mac) access-list (?:standard )?\S+$/, rank: 20 },
  {
    in: ["root"],
    match:
      /^ip (community-list|extcommunity-list|large-community-list) (?:standard |expanded |regexp )?(\S+) .*$/,
    group: "ip $1 $2",
    rank: 20,
  },
  { in: ["root"], match: /^ip as-path access-list (\S+) .*$/, group: "ip as-path access-list $1", rank: 20 },
  {
    in: ["root"],
    match: /^route-map (\S+) (permit|deny) (\d+)$/,
    key: "route-map $1 $3",
    negate: "no route-map $1 $2 $3",
    group: "route-map $1",
    // Changing permit/deny of an existing sequence is not a documented in-place edit [inferred].
    replace: "remove-first",
    rank: 30,
  },
  {
    in: ["root"],
    match: /^interface ((?:Ethernet|Management)\S+)$/,
    // Physical ports cannot be deleted; `default interface` resets one [inferred, IOS/EOS convention].
    negate: "default interface $1",
    persistent: true,
    rank: 40,
  },
  { in: ["root"], match: /^interface Port-Channel\S+$/, rank: 35 },
  { in: ["root"], match: /^interface \S+$/, rank: 40 },
  // Routing processes EOS runs once (per VRF): a second instance is refused (`% BGP is already running
  // with AS number 1234`), so a new AS / name / process id removes the old instance first, which takes
  // the protocol down on the switch until the new one is up [issue 12]. The default VRF runs many OSPF
  // instances (AVD's configs have router ospf 100 and 300 side by side); another VRF one.
  {
    in: ["root"],
    match: /^router bgp \S+$/,
    key: "router bgp",
    negate: "no $0",
    replace: "remove-first",
    tearsDown: "BGP",
    rank: 60,
  },
  {
    in: ["root"],
    match: /^router isis \S+$/,
    key: "router isis",
    negate: "no $0",
    replace: "remove-first",
    tearsDown: "IS-IS",
    rank: 60,
  },
  {
    in: ["root"],
    match: /^router ospf \d+ vrf (\S+)$/,
    key: "router ospf vrf $1",
    negate: "no $0",
    replace: "remove-first",
    tearsDown: "OSPF in VRF $1",
    rank: 60,
  },
  { in: ["root"], match: /^router \S+.*$/, rank: 60 },
  { in: ["root"], match: /^management \S+.*$/, rank: 70 },
  { in: ["root"], match: /^hostname / },
  { in: ["root"], match: /^(?:no )?(ip routing(?: vrf \S+)?)$/, key: "$1" },
  { in: ["root"], match: /^(?:ip domain-name|dns domain) / },
  { in: ["root"], match: /^ip name-server (?:vrf \S+ )?\S+$/ },
  { in: ["root"], match: /^ntp server (?:vrf \S+ )?\S+/ },
  { in: ["root"], match: /^ntp (?:source|local-interface)(?: vrf \S+)? / },
  { in: ["root"], match: /^logging (?:vrf \S+ )?host \S+/ },
  { in: ["root"], match: /^logging (?:buffered|console|monitor|trap|facility|format timestamp)(?= |$)/ },
  { in: ["root"], match: /^logging (?:vrf \S+ )?source-interface / },
  // A TACACS+/RADIUS server is one per host and VRF (the VRF may follow other options): its key or
  // timeout changes in place; the same host in another VRF is another server.
  {
    in: ["root"],
    match: /^(tacacs-server|radius-server) host (\S+) (?:.* )?vrf (\S+)/,
    key: "$1 host $2 vrf $3",
    negate: "no $1 host $2 vrf $3",
  },
  { in: ["root"], match: /^(tacacs-server|radius-server) host (\S+)(?= |$)/, key: "$1 host $2" },
  { in: ["root"], match: /^(?:tacacs-server|radius-server) key / },
  { in: ["root"], match: /^ip (?:tacacs|radius) (?:vrf \S+ )?source-interface / },
  { in: ["root"], match: /^aaa authentication (?:login|enable|dot1x) \S+/ },
  { in: ["root"], match: /^aaa authorization (?:exec|commands \S+|config-commands|console) ?\S*/ },
  { in: ["root"], match: /^aaa accounting (?:exec|commands \S+|system) \S+/ },
  // A user's SSH keys (primary, secondary) are lines of their own next to the account line [AVD
  // configs: `username shell shell /sbin/nologin nopassword` shows the shell is on the account line].
  { in: ["root"], match: /^username (\S+) (ssh-key(?: secondary)?)(?= )/, key: "username $1 $2" },
  { in: ["root"], match: /^username (\S+)(?= |$)/ },
  // `no username admin` in intended config deletes the account (ZTP's admin); EOS never shows it, so
  // it stands for "no such user": the account line, if any, is removed.
  { in: ["root"], match: /^no username (\S+)$/, key: "username $1", hidden: true },
  { in: ["root"], match: /^enable (?:password|secret) /, key: "enable secret" },
  { in: ["root"], match: /^snmp-server community \S+/ },
  { in: ["root"], match: /^snmp-server (?:location|contact|chassis-id|source-interface) / },
  // A notification receiver is one per host, VRF, SNMP version and community or user [issue 12]:
  // `… version 3 auth USER-READ` and `… auth USER-WRITE` are two; removed by naming all four.
  {
    in: ["root"],
    match:
      /^snmp-server host (\S+)(?: vrf (\S+))?(?: (?:traps|informs))?(?: version (\S+))?(?: (?:auth|noauth|priv))? (\S+)/,
    key: "snmp-server host $1 vrf $2 version $3 $4",
    negate: "no $0",
  },
  { in: ["root"], match: /^clock timezone / },
  { in: ["root"], match: /^spanning-tree mode / },
  {
    in: ["root"],
    // EOS shows one line with every VLAN spanning tree is off for; `no … L` adds L to it and
    // `spanning-tree vlan-id L` takes L out [issue 12]. A change adds the new VLANs first, then takes
    // out the old ones, so a VLAN in both (MLAG peer VLANs 4093-4094) never runs spanning tree.
    match: /^no spanning-tree vlan-id (\S+)$/,
    key: "spanning-tree vlan-id",
    negate: "spanning-tree vlan-id $1",
    canonical: (m) => `no spanning-tree vlan-id ${canonicalVlanList(m[1]!)}`,
    listEdit: {
      base: "no spanning-tree vlan-id",
      key: "spanning-tree vlan-id",
      op: "add",
      items: "$1",
      absent: "none",
      dropsWhenEmpty: true,
    },
    vlanListDelta: { add: "no spanning-tree vlan-id $items", remove: "spanning-tree vlan-id $items" },
  },
  {
    in: ["root"],
    match: /^spanning-tree vlan-id (\S+)$/,
    listEdit: {
      base: "no spanning-tree vlan-id",
      key: "spanning-tree vlan-id",
      op: "remove",
      items: "$1",
      absent: "none",
      dropsWhenEmpty: true,
    },
  },
  { in: ["root"], match: /^spanning-tree mst \d+ priority / },
  { in: ["root"], match: /^ip virtual-router mac-address / },
  { in: ["root"], match: /^service routing protocols model / },
  { in: ["root"], match: /^ip route (?:vrf \S+ )?\S+ \S+/ },
  { in: ["root"], match: /^banner (?:login|motd|exec)$/, multiline: { terminator: "EOF" } },

  // ---- interfaces -----------------------------------------------------------------------------
  // Defaults EOS does not show in running-config [confirmed S7 sample: `interface Ethernet1` bare];
  // spelling them out in intended config must not cause a command on every run.
  { in: INTERFACE_CONTEXTS, match: /^no shutdown$/, key: "shutdown", hidden: true },
  { in: INTERFACE_CONTEXTS, match: /^switchport$/, key: "switchport", hidden: true },
  { in: INTERFACE_CONTEXTS, match: /^switchport mode access$/, key: "switchport mode", hidden: true },
  { in: INTERFACE_CONTEXTS, match: /^shutdown$/ },
  { in: INTERFACE_CONTEXTS, match: /^(?:no )?(switchport)$/, key: "$1", rank: 10 },
  { in: INTERFACE_CONTEXTS, match: /^vrf(?: forwarding)? /, key: "vrf", rank: 15 },
  { in: INTERFACE_CONTEXTS, match: /^switchport mode / },
  // `switchport access vlan N` moves the port in one step; `no` first would park it in VLAN 1.
  { in: INTERFACE_CONTEXTS, match: /^switchport access vlan / },
  { in: INTERFACE_CONTEXTS, match: /^switchport trunk native vlan / },
  {
    in: INTERFACE_CONTEXTS,
    match: /^switchport trunk allowed vlan add (\S+)$/,
    listEdit: { base: "switchport trunk allowed vlan", op: "add", items: "$1" },
  },
  {
    in: INTERFACE_CONTEXTS,
    match: /^switchport trunk allowed vlan remove (\S+)$/,
    listEdit: { base: "switchport trunk allowed vlan", op: "remove", items: "$1" },
  },
  {
    in: INTERFACE_CONTEXTS,
    match: /^switchport trunk allowed vlan (?!add |remove )(\S+)$/,
    key: "switchport trunk allowed vlan",
    // A direct replace is atomic: the trunk never passes all VLANs in between (a `no` first would).
    canonical: (m) => `switchport trunk allowed vlan ${canonicalVlanList(m[1]!)}`,
  },
  {
    in: INTERFACE_CONTEXTS,
    match: /^ip address (\S+) (\d+\.\d+\.\d+\.\d+)( secondary)?$/,
    canonical: (m) => `ip address ${canonicalIpAddress(m[1]!, m[2]!)}${m[3] ?? ""}`,
  },
  // Secondary addresses are separate lines: removing one removes exactly that line.
  { in: INTERFACE_CONTEXTS, match: /^ip address \S+ secondary$/, rank: 21 },
  { in: INTERFACE_CONTEXTS, match: /^ip address(?= \S+$)/, rank: 20 },
  { in: INTERFACE_CONTEXTS, match: /^ipv6 address \S+.*$/, rank: 20 },
  { in: INTERFACE_CONTEXTS, match: /^(?:mtu|speed|load-interval|mac-address|l2 mtu) / },
  { in: INTERFACE_CONTEXTS, match: /^channel-group /, key: "channel-group", rank: 60 },
  { in: INTERFACE_CONTEXTS, match: /^(?:mlag|lacp rate|lacp port-priority|encapsulation dot1q vlan) / },
  {
    in: INTERFACE_CONTEXTS,
    match: /^ip access-group \S+ (in|out)$/,
    key: "ip access-group $1",
    negate: "no $0",
  },
  { in: INTERFACE_CONTEXTS, match: /^ip ospf (?:cost|network|area|priority|hello-interval|dead-interval) / },
  { in: INTERFACE_CONTEXTS, match: /^bfd (?:interval|echo) / },
  // Set in place, one per IS-IS level; `no isis authentication key` ignores the key it is given, so
  // a new key is entered alone, never followed by a `no` of the old one [issue 12].
  {
    in: INTERFACE_CONTEXTS,
    match: /^isis authentication (key|mode) .*?( level-[12])?$/,
    key: "isis authentication $1$2",
  },
  { in: INTERFACE_CONTEXTS, match: /^ip helper-address \S+/ },
  { in: INTERFACE_CONTEXTS, match: /^ip virtual-router address / },
  { in: INTERFACE_CONTEXTS, match: /^ip address virtual / },
  {
    in: INTERFACE_CONTEXTS,
    match: /^spanning-tree (?:portfast|bpduguard|bpdufilter|link-type|cost|port-priority)/,
  },

  // ---- VLANs ------------------------------------------------------------------------------------
  { in: ["vlan"], match: /^state active$/, key: "state", hidden: true },
  { in: ["vlan"], match: /^(?:name|state) / },

  // ---- VRFs -------------------------------------------------------------------------------------
  { in: ["vrf-instance"], match: /^rd / },

  // ---- sequenced lists -------------------------------------------------------------------------
  { in: ["acl"], match: /^(\d+) .*$/, key: "$1", replace: "remove-first" },
  { in: ["acl"], match: /^statistics per-entry$/ },
  { in: ["prefix-list"], match: /^seq (\d+) .*$/, key: "seq $1", replace: "remove-first" },

  // ---- route-map entries ------------------------------------------------------------------------
  {
    in: ["route-map"],
    match: /^match (?:ip|ipv6) (?:address|next-hop|resolved-next-hop) (?:prefix-list|access-list)(?= )/,
  },
  {
    in: ["route-map"],
    match:
      /^match (?:as-path|community|extcommunity|large-community|tag|interface|source-protocol|metric|local-preference)(?= )/,
  },
  {
    in: ["route-map"],
    match:
      /^set (?:ip next-hop|ipv6 next-hop|as-path prepend|as-path match|community|extcommunity|large-community|\S+)(?= )/,
  },
  { in: ["route-map"], match: /^(?:continue|sub-route-map)(?= |$)/ },

  // ---- BGP --------------------------------------------------------------------------------------
  {
    in: BGP_CONTEXTS,
    // A peer group is defined before the neighbors that join it, and removed after them.
    match: /^neighbor (\S+) peer[ -]group$/,
    key: "$0",
    group: "neighbor $1",
    rank: 10,
  },
  {
    in: BGP_CONTEXTS,
    match: /^neighbor (\S+) (peer[ -]group) \S+$/,
    key: "neighbor $1 $2",
    group: "neighbor $1",
    rank: 20,
  },
  {
    in: BGP_CONTEXTS,
    match: /^neighbor (\S+) (route-map|prefix-list) \S+ (in|out)$/,
    key: "neighbor $1 $2 $3",
    negate: "no $0",
    group: "neighbor $1",
    rank: 20,
  },
  {
    in: BGP_CONTEXTS,
    match:
      /^neighbor (\S+) (remote-as|description|update-source|ebgp-multihop|password|maximum-routes|maximum-accepted-routes|send-community|local-as|next-hop-self|bfd(?! interval)|allowas-in|timers|weight|route-reflector-client|remove-private-as|default-originate|shutdown)(?= |$)/,
    key: "neighbor $1 $2",
    group: "neighbor $1",
    rank: 20,
  },
  { in: BGP_CONTEXTS, match: /^neighbor (\S+) .*$/, group: "neighbor $1", rank: 20 },
  { in: BGP_CONTEXTS, match: /^(?:router-id|maximum-paths|distance bgp|timers bgp|rd|bgp bestpath \S+) / },
  { in: BGP_CONTEXTS, match: /^(?:no )?(bgp default (?:ipv4-unicast|ipv6-unicast))$/, key: "$1" },
  // One redistribution per source, and for OSPF per route type: `redistribute ospf match internal`
  // and `… match external` are two lines [AVD eos_cli_config_gen].
  {
    in: ["bgp", "bgp-vrf", "bgp-af"],
    match: /^redistribute (ospf|ospfv3) match (\S+)/,
    key: "redistribute $1 match $2",
  },
  { in: ["bgp", "bgp-vrf", "bgp-af"], match: /^redistribute (\S+)/, key: "redistribute $1" },
  { in: ["bgp"], match: /^vrf \S+$/, rank: 60 },
  { in: BGP_CONTEXTS, match: /^address-family .*$/, rank: 70 },
  // The EVPN domain identifier (local, and `remote` for the other domain) is set in place.
  { in: ["bgp-af"], match: /^domain identifier \S+( remote)?$/, key: "domain identifier$1" },
  // EOS shows `no neighbor X activate` where an address family is active by default [inferred].
  { in: ["bgp-af"], match: /^(?:no )?(neighbor \S+ activate)$/, key: "$1" },
  {
    in: ["bgp-af"],
    match: /^neighbor (\S+) (route-map|prefix-list) \S+ (in|out)$/,
    key: "neighbor $1 $2 $3",
    negate: "no $0",
  },

  // ---- IS-IS ------------------------------------------------------------------------------------
  // One NET, router id per address family, hostname, level and authentication per level: each is set
  // in place (`no net` ignores the value, so a trailing `no <old NET>` would clear the new one).
  {
    in: ["isis"],
    match: /^(net|is-hostname|is-type|router-id ipv4|router-id ipv6|log-adjacency-changes)(?= |$)/,
    key: "$1",
  },
  { in: ["isis"], match: /^authentication (key|mode) .*?( level-[12])?$/, key: "authentication $1$2" },

  // ---- OSPF -------------------------------------------------------------------------------------
  {
    in: ["ospf"],
    match: /^(?:router-id|max-lsa|maximum-paths|log-adjacency-changes|passive-interface default)(?= |$)/,
  },

  // ---- MLAG and daemons ------------------------------------------------------------------------
  {
    in: ["mlag"],
    match:
      /^(?:domain-id|local-interface|peer-address heartbeat|peer-address|peer-link|reload-delay mlag|reload-delay non-mlag|reload-delay)(?= )/,
  },
  { in: ["daemon"], match: /^exec / },

  // ---- management xmpp: the switch's own reachability ---------------------------------------------
  // Server, domain, credentials and privilege are single-valued and replaced in place: removing and
  // re-adding any of them would drop the switch off XMPP in the middle of the batch that carries them.
  { in: ["mgmt-xmpp"], match: /^(?:server|domain|username|password|session privilege|vrf)(?= )/ },
  // One switch-group line per room [reference §1.2]: a room's options change in place.
  { in: ["mgmt-xmpp"], match: /^switch-group \S+/ },
  { in: ["mgmt-xmpp"], match: /^(?:no )?(connection unencrypted permit)$/, key: "$1" },

  // ---- everywhere --------------------------------------------------------------------------------
  { in: ["mgmt"], match: /^(?:idle-timeout|authentication mode|protocol \S+) / },
  // Outside interfaces `no shutdown` is shown (management api, xmpp, bgp) [confirmed reference §4.1].
  { in: "*", match: /^(?:no )?(shutdown)$/, key: "$1" },
  { in: "*", match: /^description / },
];

/** Secrets replaced by `<redacted>` in every rendering meant for people (reference §1, field report). */
export const SECRET_PATTERNS: readonly { match: RegExp; replace: string }[] = [
  { match: /\b(authentication-key \d+(?: md5| sha\S*)?(?: [0-9])?) \S+/g, replace: "$1 <redacted>" },
  { match: /\b(message-digest-key \d+ md5(?: [0-9])?) \S+/g, replace: "$1 <redacted>" },
  { match: /\b(snmp-server community) \S+/g, replace: "$1 <redacted>" },
  { match: /\b((?:auth|priv) (?:md5|sha\S*|des|3des|aes\S*)(?: [0-9])?) \S+/g, replace: "$1 <redacted>" },
  { match: /(?<![-\w])(password(?: [0-9]| sha512)?) \S+/g, replace: "$1 <redacted>" },
  { match: /(?<![-\w])(secret(?: [0-9]| sha512)?) \S+/g, replace: "$1 <redacted>" },
  { match: /(?<![-\w])(key(?: [0-9])?) \S+/g, replace: "$1 <redacted>" },
  { match: /(?<![-\w])(ssh-?key) .+/g, replace: "$1 <redacted>" },
];

/**
 * A word every match of SECRET_PATTERNS contains: a text with none of them has nothing to redact (most
 * lines of a config), and one test is cheaper than running every pattern. Keep it in step with them.
 */
export const SECRET_WORDS = /key|password|secret|community|auth |priv /;

/**
 * What rendering needs to know about EOS commands, as data (STYLE: platform knowledge is data).
 * Sources: reference/eos-xmpp.md §4.1 (running-config layout) and §4.5 (which commands hold one value).
 */

/**
 * Commands that hold one value: when a later layer sets one again, its line replaces the earlier one in
 * place. The key is the rule plus its capture groups, or the matched text when there are none; so
 * `ip prefix-list L seq 10 …` replaces by list and sequence, `route-map RM permit 10` by map and sequence.
 * A line that matches no rule is keyed by its whole text (a repeat is dropped, a different line is added).
 * `no X` has the key of `X`, so `no shutdown` replaces `shutdown`.
 */
export const singleValuedCommands: { topLevel: RegExp[]; child: RegExp[] } = {
  topLevel: [
    /^hostname\b/,
    /^ip domain-name\b/,
    /^spanning-tree mode\b/,
    /^clock timezone\b/,
    /^service routing protocols model\b/,
    /^logging buffered\b/,
    /^logging trap\b/,
    /^logging source-interface\b/,
    /^snmp-server (location|contact)\b/,
    /^router bgp\b/,
    /^banner (login|motd)\b/,
    /^ip prefix-list (\S+) seq (\d+)\b/,
    /^route-map (\S+) (?:permit|deny) (\d+)$/,
  ],
  child: [
    /^description\b/,
    /^ip address\b(?!.*\bsecondary\b)/,
    /^mtu\b/,
    /^name\b/,
    /^speed\b/,
    /^switchport mode\b/,
    /^switchport access vlan\b/,
    /^switchport trunk native vlan\b/,
    /^switchport trunk allowed vlan\b(?! (add|remove|except)\b)/,
    /^router-id\b/,
    /^maximum-paths\b/,
    /^distance bgp\b/,
    /^neighbor (\S+) remote-as\b/,
    /^neighbor (\S+) peer group\b/,
    /^neighbor (\S+) description\b/,
    /^neighbor (\S+) update-source\b/,
    /^neighbor (\S+) maximum-routes\b/,
    /^neighbor (\S+) route-map \S+ (in|out)$/,
    /^match ip address prefix-list\b/,
    /^set local-preference\b/,
    /^set metric\b/,
    /^server\b/,
    /^domain\b/,
    /^username\b/,
    /^session privilege\b/,
  ],
};

/** Commands followed by free-text lines up to a line `EOF` (written unindented, as EOS shows banners). */
export const multiLineCommands: RegExp[] = [/^banner (login|motd)$/];
export const multiLineTerminator = "EOF";

/**
 * Order of top-level sections in the rendered text, close to how EOS prints running-config, so that a
 * rendered config reads like a switch's. Unlisted commands go before `banner`. Order does not change
 * meaning: the EOS engine compares trees, not text.
 */
export const topLevelOrder: string[] = [
  "service",
  "logging",
  "hostname",
  "ip domain-name",
  "ip name-server",
  "ntp",
  "snmp-server",
  "spanning-tree",
  "clock",
  "vlan",
  "interface",
  "ip access-list",
  "ip routing",
  "ip prefix-list",
  "ip route",
  "route-map",
  "router",
  "*",
  "banner",
  "management",
];

/** Sections sorted by name within their place (Ethernet2 before Ethernet10); others keep their layer order. */
export const naturallySorted: string[] = ["vlan", "interface"];

/** Indentation of one level in running-config. */
export const indentUnit = "   ";

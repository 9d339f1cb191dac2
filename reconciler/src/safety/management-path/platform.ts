/**
 * What EOS config says about how a switch reaches its XMPP server, as data: which lines are elements
 * of the management path, read by learn-path.ts and guard.ts. Each pattern matches a line of
 * `show running-config` (EOS spelling, one space between words).
 *
 * Sources: reference/eos-xmpp.md (management xmpp), the EOS VRF and ACL chapters as AVD renders them
 * (eos_cli_config_gen templates: management-interfaces, vrfs, static-routes, ip-access-lists,
 * system control-plane). Facts marked [inferred] should be confirmed on a switch.
 */

/** The out-of-band management ports: Management1 on fixed systems, Management1/1 and Management0 on modular ones. */
export const managementInterfaceName = /^Management\d+(?:\/\d+)*$/;

/** The same, as the source of a top-level line pattern (fabric scope.keepUnlisted). */
export const managementInterfaceLine = "^interface Management\\d+(?:/\\d+)*$";

/** The VRF EOS uses when a line names none. */
export const defaultVrf = "default";

/** `management xmpp` and its lines that choose where and whether the switch connects. */
export const xmppBlock = {
  header: /^management xmpp$/,
  /** `vrf MGMT`: the VRF the XMPP client connects from (absent: the default VRF). */
  vrf: /^vrf (\S+)$/,
  /** `server 172.17.3.253 [port 5222]`. */
  server: /^server (\S+)(?: port (\d+))?$/,
  /** `shutdown`: the XMPP client stops. */
  shutdown: /^shutdown$/,
} as const;

/** Interface lines that decide whether the management path still carries traffic. */
export const interfaceLines = {
  header: /^interface (\S+)$/,
  /** `vrf MGMT` (EOS 4.22+) or `vrf forwarding MGMT` (older); moving an interface drops its address. */
  vrf: /^vrf (?:forwarding )?(\S+)$/,
  /** `ip address 10.0.0.5/24` (a `secondary` too) or `ip address dhcp`. */
  address: /^ip address (\S+)(?: secondary)?$/,
  shutdown: /^shutdown$/,
  /** `ip access-group NAME in|out`: an ACL filtering the interface's traffic. */
  accessGroup: /^ip access-group (\S+) (in|out)$/,
} as const;

/** A VRF: `vrf instance MGMT` (EOS 4.22+) or `vrf definition MGMT` (older). */
export const vrfHeader = /^vrf (?:instance|definition) (\S+)$/;

/** `ip route [vrf V] PREFIX NEXT-HOP…`: a static route (dynamic routes are not in config). */
export const staticRoute = /^ip route (?:vrf (\S+) )?(\d+\.\d+\.\d+\.\d+\/\d+) (.+)$/;

/** `ip access-list [standard] NAME`: its entries are its children (numbered in running-config). */
export const accessListHeader = /^ip access-list (standard )?(\S+)$/;

/**
 * The control-plane ACL filters every packet to the switch's CPU, the XMPP session's replies
 * included: `system control-plane` → `ip access-group NAME [vrf V] in` (older EOS: `control-plane`)
 * [inferred from the AVD template].
 */
export const controlPlane = {
  header: /^(?:system )?control-plane$/,
  accessGroup: /^ip access-group (\S+)(?: vrf (\S+))? in$/,
} as const;

/** XMPP client-to-server is TCP; the switch connects from a Linux ephemeral port [inferred: Linux default range]. */
export const xmppTransport = { protocol: "tcp", ephemeralPorts: [32768, 60999] as const };

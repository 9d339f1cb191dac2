/**
 * The classes of real-world mistakes found on AVD's configs (issue 12), one small case each; the
 * corpus test (test/corpus/real-world) checks them on the real configs through the simulator.
 */
import { describe, expect, it } from "vitest";
import { compareInScope, parseConfig, remediate, scopeOfAll } from "../../../reconciler/src/eos/index.ts";

interface Case {
  name: string;
  running: string[];
  intended: string[];
  expected: string[];
}

function check({ running, intended, expected }: Case): void {
  const before = parseConfig(running.join("\n"));
  const after = parseConfig(intended.join("\n"));
  const scope = scopeOfAll(before, after);
  const result = remediate(before, after, scope);
  expect(result.commands).toEqual(expected);
  expect(compareInScope(result.predicted, after, scope).equal).toBe(true);
  expect(remediate(result.predicted, after, scope).commands).toEqual([]);
}

const shownNegations: Case[] = [
  {
    name: "a shown negation no rule names is entered",
    running: ["interface Vlan10", "   ip address 10.0.0.1/24"],
    intended: ["interface Vlan10", "   no autostate", "   ip address 10.0.0.1/24"],
    expected: ["interface Vlan10", "   no autostate", "   exit"],
  },
  {
    name: "and removed by going back to the default",
    running: ["interface Ethernet1", "   no lldp transmit", "   no lldp receive"],
    intended: ["interface Ethernet1", "   no lldp receive"],
    expected: ["interface Ethernet1", "   default lldp transmit", "   exit"],
  },
  {
    name: "a global shown negation",
    running: ["no enable password", "no ip routing vrf MGMT"],
    intended: ["no ip routing vrf MGMT"],
    expected: ["default enable password"],
  },
  {
    name: "a passive-interface exception under passive-interface default",
    running: ["router ospf 1", "   passive-interface default"],
    intended: ["router ospf 1", "   passive-interface default", "   no passive-interface Ethernet3.10"],
    expected: ["router ospf 1", "   no passive-interface Ethernet3.10", "   exit"],
  },
  {
    name: "the spanning-tree VLAN list gains the new VLANs before it loses the old ones",
    running: ["no spanning-tree vlan-id 4094,10"],
    intended: ["no spanning-tree vlan-id 4093-4094"],
    expected: ["no spanning-tree vlan-id 4093", "spanning-tree vlan-id 10"],
  },
  {
    name: "the spanning-tree VLAN list removed",
    running: ["no spanning-tree vlan-id 4093-4094"],
    intended: ["hostname x"],
    expected: ["hostname x", "spanning-tree vlan-id 4093-4094"],
  },
];

const singleInstances: Case[] = [
  {
    name: "a new BGP AS removes the old instance first",
    running: ["router bgp 1234", "   router-id 10.0.0.1"],
    intended: ["router bgp 65200", "   router-id 10.0.0.1"],
    expected: ["no router bgp 1234", "router bgp 65200", "   router-id 10.0.0.1", "   exit"],
  },
  {
    name: "an OSPF process of a VRF replaced, another one of the default VRF added",
    running: ["router ospf 1 vrf RED", "   router-id 1.1.1.1", "router ospf 100"],
    intended: ["router ospf 2 vrf RED", "   router-id 1.1.1.1", "router ospf 100", "router ospf 300"],
    expected: [
      "no router ospf 1 vrf RED",
      "router ospf 2 vrf RED",
      "   router-id 1.1.1.1",
      "   exit",
      "router ospf 300",
      "   exit",
    ],
  },
];

const prefixRemovals: Case[] = [
  {
    name: "a new IS-IS authentication key is entered alone",
    running: [
      "interface Ethernet1",
      "   isis authentication mode md5",
      "   isis authentication key 7 asfddja23",
    ],
    intended: [
      "interface Ethernet1",
      "   isis authentication mode md5",
      "   isis authentication key 7 $1c$sTNAlR6rKSw=",
    ],
    expected: ["interface Ethernet1", "   isis authentication key 7 $1c$sTNAlR6rKSw=", "   exit"],
  },
  {
    name: "a new NET and router id are set in place",
    running: [
      "router isis EVPN_UNDERLAY",
      "   net 49.0001.0001.0001.0001.00",
      "   router-id ipv4 192.168.255.1",
    ],
    intended: [
      "router isis EVPN_UNDERLAY",
      "   net 49.0001.0001.0001.0002.00",
      "   router-id ipv4 192.168.255.2",
    ],
    expected: [
      "router isis EVPN_UNDERLAY",
      "   net 49.0001.0001.0001.0002.00",
      "   router-id ipv4 192.168.255.2",
      "   exit",
    ],
  },
  {
    name: "a new EVPN domain identifier is set in place",
    running: ["router bgp 65101", "   address-family evpn", "      domain identifier 65000:0"],
    intended: ["router bgp 65101", "   address-family evpn", "      domain identifier 65101:0"],
    expected: [
      "router bgp 65101",
      "   address-family evpn",
      "      domain identifier 65101:0",
      "      exit",
      "   exit",
    ],
  },
  {
    name: "a new IS-IS authentication key is entered alone",
    running: [
      "interface Ethernet1",
      "   isis authentication mode md5",
      "   isis authentication key 7 asfddja23",
    ],
    intended: [
      "interface Ethernet1",
      "   isis authentication mode md5",
      "   isis authentication key 7 $1c$sTNAlR6rKSw=",
    ],
    expected: ["interface Ethernet1", "   isis authentication key 7 $1c$sTNAlR6rKSw=", "   exit"],
  },
  {
    name: "a new NET and router id are set in place",
    running: [
      "router isis EVPN_UNDERLAY",
      "   net 49.0001.0001.0001.0001.00",
      "   router-id ipv4 192.168.255.1",
    ],
    intended: [
      "router isis EVPN_UNDERLAY",
      "   net 49.0001.0001.0001.0002.00",
      "   router-id ipv4 192.168.255.2",
    ],
    expected: [
      "router isis EVPN_UNDERLAY",
      "   net 49.0001.0001.0001.0002.00",
      "   router-id ipv4 192.168.255.2",
      "   exit",
    ],
  },
  {
    name: "a new EVPN domain identifier is set in place",
    running: ["router bgp 65101", "   address-family evpn", "      domain identifier 65000:0"],
    intended: ["router bgp 65101", "   address-family evpn", "      domain identifier 65101:0"],
    expected: [
      "router bgp 65101",
      "   address-family evpn",
      "      domain identifier 65101:0",
      "      exit",
      "   exit",
    ],
  },
  {
    name: "a removal that names the start of a new line goes before it",
    running: ["hardware counter feature ip out"],
    intended: ["hardware counter feature ip out layer3 units packets"],
    expected: ["no hardware counter feature ip out", "hardware counter feature ip out layer3 units packets"],
  },
  {
    name: "a NAT pool range gains its ports",
    running: ["ip nat pool P prefix-length 32", "   range 10.2.0.1 10.2.0.1"],
    intended: ["ip nat pool P prefix-length 32", "   range 10.2.0.1 10.2.0.1 1024 65535"],
    expected: [
      "ip nat pool P prefix-length 32",
      "   no range 10.2.0.1 10.2.0.1",
      "   range 10.2.0.1 10.2.0.1 1024 65535",
      "   exit",
    ],
  },
  {
    name: "a longer setting is removed before the one its name extends",
    running: ["queue-monitor length", "queue-monitor length log 5"],
    intended: ["hostname x"],
    expected: ["hostname x", "no queue-monitor length log 5", "no queue-monitor length"],
  },
];

const identityKeys: Case[] = [
  {
    name: "an SNMP receiver is keyed by host, VRF, version and user",
    running: ["snmp-server host 10.6.75.99 vrf mgt version 3 auth USER-READ"],
    intended: [
      "snmp-server host 10.6.75.99 vrf mgt version 3 auth USER-READ",
      "snmp-server host 10.6.75.99 vrf mgt version 3 auth USER-WRITE",
    ],
    expected: ["snmp-server host 10.6.75.99 vrf mgt version 3 auth USER-WRITE"],
  },
  {
    name: "an SNMP receiver's user replaced",
    running: ["snmp-server host 10.6.75.99 vrf mgt version 3 auth USER-READ"],
    intended: ["snmp-server host 10.6.75.99 vrf mgt version 3 auth USER-WRITE"],
    expected: [
      "snmp-server host 10.6.75.99 vrf mgt version 3 auth USER-WRITE",
      "no snmp-server host 10.6.75.99 vrf mgt version 3 auth USER-READ",
    ],
  },
  {
    name: "a TACACS+ server's key changes in place; the same host in another VRF is another server",
    running: ["tacacs-server host 10.10.10.157 single-connection vrf mgt key 7 071B245F5A"],
    intended: [
      "tacacs-server host 10.10.10.157 vrf mgt key 7 05080F1C2243",
      "tacacs-server host 10.10.10.157 key 7 05080F1C2243",
    ],
    expected: [
      "tacacs-server host 10.10.10.157 vrf mgt key 7 05080F1C2243",
      "tacacs-server host 10.10.10.157 key 7 05080F1C2243",
    ],
  },
  {
    name: "a RADIUS server of one VRF removed, the other kept",
    running: [
      "radius-server host 10.10.10.158 vrf mgt key 7 071B",
      "radius-server host 10.10.10.158 key 7 071B",
    ],
    intended: ["radius-server host 10.10.10.158 key 7 071B"],
    expected: ["no radius-server host 10.10.10.158 vrf mgt"],
  },
  {
    name: "logging hosts, NTP servers and name servers are one per VRF and address",
    running: [
      "logging vrf mgt host 10.10.10.7",
      "ntp server vrf MGMT 10.0.0.1",
      "ip name-server vrf MGMT 8.8.8.8",
    ],
    intended: [
      "logging vrf mgt host 10.10.10.7",
      "logging host 10.10.10.7",
      "ntp server vrf MGMT 10.0.0.1",
      "ntp server vrf MGMT 10.0.0.2 prefer",
      "ip name-server vrf MGMT 8.8.4.4",
    ],
    expected: [
      "logging host 10.10.10.7",
      "ntp server vrf MGMT 10.0.0.2 prefer",
      "ip name-server vrf MGMT 8.8.4.4",
      "no ip name-server vrf MGMT 8.8.8.8",
    ],
  },
  {
    name: "a user's SSH key is a line of its own",
    running: ["username cvpadmin privilege 15 role network-admin secret sha512 $6$x"],
    intended: [
      "username cvpadmin privilege 15 role network-admin secret sha512 $6$x",
      "username cvpadmin ssh-key ssh-rsa AAAA",
    ],
    expected: ["username cvpadmin ssh-key ssh-rsa AAAA"],
  },
];

describe("real-world classes", () => {
  describe("keyed families have their full identity", () => {
    it.each(identityKeys)("$name", check);
  });

  describe("a trailing no never matches a new line by prefix", () => {
    it.each(prefixRemovals)("$name", check);
  });

  describe("shown negations are lines, not hidden defaults", () => {
    it.each(shownNegations)("$name", check);
  });

  describe("single-instance routing processes are removed before they are re-created", () => {
    it.each(singleInstances)("$name", check);

    it("says in the remediation that the protocol goes down", () => {
      const running = parseConfig("router bgp 1234\n   router-id 10.0.0.1\n");
      const intended = parseConfig("router bgp 65200\n   router-id 10.0.0.1\n");
      const { disruptions } = remediate(running, intended, scopeOfAll(running, intended));
      expect(disruptions).toEqual([
        '"router bgp 1234" → "router bgp 65200": EOS runs one such instance, so the old one is removed before the new one is entered; BGP is down on this switch in between',
      ]);
      expect(remediate(running, running, scopeOfAll(running)).disruptions).toEqual([]);
    });
  });
});

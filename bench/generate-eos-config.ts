/**
 * Generates a leaf switch's running config and an intended config with a share of its interfaces
 * changed, for the EOS engine benchmark. Deterministic for a given seed.
 *
 *   tsx bench/generate-eos-config.ts --interfaces 1000 --change 0.2 --seed 1 --out DIR
 *
 * writes DIR/running.cfg and DIR/intended.cfg and prints their line counts as one JSON line.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";

export interface GeneratedPair {
  running: string;
  intended: string;
}

/** mulberry32: a small, seedable PRNG so that every run benchmarks the same configs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Port {
  name: string;
  description: string;
  mode: "access" | "trunk" | "routed";
  vlan: number;
  allowed: number[];
  mtu?: number;
  portfast: boolean;
  shutdown: boolean;
  address?: string;
}

export function generateLeafPair(interfaces: number, changeShare: number, seed = 1): GeneratedPair {
  const random = prng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const vlanCount = Math.max(10, Math.round(interfaces / 8));
  const vlans = Array.from({ length: vlanCount }, (_, i) => 100 + i);

  const ports: Port[] = Array.from({ length: interfaces }, (_, i) => {
    const roll = random();
    const mode = roll < 0.7 ? "access" : roll < 0.9 ? "trunk" : "routed";
    return {
      name: `Ethernet${Math.floor(i / 48) + 1}/${(i % 48) + 1}`,
      description: `host-${i}-nic${(i % 2) + 1}`,
      mode,
      vlan: pick(vlans),
      allowed: [pick(vlans), pick(vlans), pick(vlans)].sort((a, b) => a - b),
      mtu: random() < 0.5 ? 9214 : undefined,
      portfast: mode === "access",
      shutdown: random() < 0.05,
      address: mode === "routed" ? `10.${Math.floor(i / 128)}.${(i % 128) * 2}.0/31` : undefined,
    };
  });

  const changed = ports.map((port) => {
    if (random() >= changeShare) return port;
    const next = { ...port };
    switch (Math.floor(random() * 6)) {
      case 0:
        next.description = `${port.description}-moved`;
        break;
      case 1:
        if (port.mode === "access") next.vlan = pick(vlans);
        else next.allowed = [...port.allowed.slice(1), pick(vlans)].sort((a, b) => a - b);
        break;
      case 2:
        next.mtu = port.mtu ? undefined : 9214;
        break;
      case 3:
        next.shutdown = !port.shutdown;
        break;
      case 4:
        next.portfast = !port.portfast;
        break;
      default:
        next.description = `${port.description}-v2`;
        next.mtu = 9000;
    }
    return next;
  });

  const render = (portList: Port[], variant: "running" | "intended"): string => {
    const out: string[] = [
      "! Command: show running-config",
      "! device: leaf-bench (DCS-7050SX3-48YC8, EOS-4.30.1F)",
      "!",
      `hostname leaf-bench`,
      "!",
      "spanning-tree mode mstp",
      "!",
      "ntp server vrf MGMT 10.255.0.1 iburst",
      variant === "running"
        ? "ntp server vrf MGMT 10.255.0.2 iburst"
        : "ntp server vrf MGMT 10.255.0.3 iburst",
      "!",
      "username admin privilege 15 role network-admin secret sha512 $6$benchmark",
      "!",
    ];
    for (const id of vlans) {
      out.push(
        `vlan ${id}`,
        `   name ${variant === "intended" && id % 50 === 0 ? "RENAMED" : "SEG"}-${id}`,
        "!",
      );
    }
    out.push("vrf instance MGMT", "!");
    for (const port of portList) {
      out.push(`interface ${port.name}`, `   description ${port.description}`);
      if (port.shutdown) out.push("   shutdown");
      if (port.mtu) out.push(`   mtu ${port.mtu}`);
      if (port.mode === "access") out.push(`   switchport access vlan ${port.vlan}`);
      if (port.mode === "trunk") {
        out.push("   switchport mode trunk", `   switchport trunk allowed vlan ${port.allowed.join(",")}`);
      }
      if (port.mode === "routed") out.push("   no switchport", `   ip address ${port.address}`);
      if (port.portfast) out.push("   spanning-tree portfast");
      out.push("!");
    }
    out.push(
      "interface Loopback0",
      "   ip address 10.254.0.1/32",
      "!",
      "interface Management1",
      "   vrf MGMT",
      "   ip address 192.168.0.10/24",
      "!",
    );
    out.push(
      "ip prefix-list LOOPBACKS seq 10 permit 10.254.0.0/16 eq 32",
      "ip prefix-list LOOPBACKS seq 20 permit 10.253.0.0/16 eq 32",
      "!",
    );
    out.push("route-map RM-CONN permit 10", "   match ip address prefix-list LOOPBACKS", "!");
    out.push(
      "router bgp 65101",
      "   router-id 10.254.0.1",
      "   maximum-paths 4 ecmp 4",
      "   neighbor SPINE peer group",
      "   neighbor SPINE remote-as 65000",
    );
    const spines = variant === "running" ? 4 : 5;
    for (let s = 1; s <= spines; s++) out.push(`   neighbor 10.0.${s}.0 peer group SPINE`);
    out.push("   redistribute connected route-map RM-CONN", "!");
    out.push(
      "management xmpp",
      "   server 10.255.0.10",
      "   username leaf-bench@fabric.lab",
      "   password 7 0822455D0A16",
      "   switch-group leafs@groups.fabric.lab",
      "   no shutdown",
      "!",
      "end",
    );
    return `${out.join("\n")}\n`;
  };

  return { running: render(ports, "running"), intended: render(changed, "intended") };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({
    options: {
      interfaces: { type: "string", default: "1000" },
      change: { type: "string", default: "0.2" },
      seed: { type: "string", default: "1" },
      out: { type: "string" },
    },
  });
  if (!values.out) {
    process.stderr.write(
      "usage: tsx bench/generate-eos-config.ts --interfaces N [--change 0.2] [--seed 1] --out DIR\n",
    );
    process.exit(1);
  }
  const pair = generateLeafPair(Number(values.interfaces), Number(values.change), Number(values.seed));
  mkdirSync(values.out, { recursive: true });
  writeFileSync(join(values.out, "running.cfg"), pair.running);
  writeFileSync(join(values.out, "intended.cfg"), pair.intended);
  const count = (text: string) => text.split("\n").length - 1;
  process.stdout.write(
    `${JSON.stringify({ interfaces: Number(values.interfaces), runningLines: count(pair.running), intendedLines: count(pair.intended) })}\n`,
  );
}

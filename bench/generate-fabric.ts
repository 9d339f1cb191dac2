/**
 * A generated desired-state repo for the end-to-end benchmark: N switches in G groups (one room each),
 * and a running config per switch that needs `shared` blocks common to its group plus `own` blocks of
 * its own (the issue's shape: about 20 changed lines each, 80 % common to the group).
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";

export interface GeneratedFabric {
  groups: Record<string, string[]>;
  /** The running config a switch starts from, given its intended config. */
  outdated(device: string, intended: string): string;
}

export interface BenchFabricShape {
  waves?: "per-group" | "canary-then-rest";
  /** rollout.verify of the fabric (default: the reconciler's default). */
  verify?: "session-diff" | "running-config";
  /**
   * Unmanaged lines each running config carries besides the managed ones (local users, AAA,
   * management api, SNMP …): real switches' configs are mostly such lines (AVD's average about 5 kB).
   */
  unmanagedLines?: number;
}

export async function writeBenchFabric(
  dir: string,
  switches: number,
  groupCount: number,
  shape: BenchFabricShape = {},
): Promise<GeneratedFabric> {
  const waves = shape.waves ?? "per-group";
  await mkdir(join(dir, "groups"), { recursive: true });
  await mkdir(join(dir, "devices"), { recursive: true });
  const groupNames = Array.from({ length: groupCount }, (_, i) => `g${i + 1}`);
  await writeFile(
    join(dir, "fabric.yaml"),
    `name: bench
xmpp:
  host: 127.0.0.1
  port: 5222
  domain: bench.lab
  mucService: groups.bench.lab
  reconcilerJid: reconciler@bench.lab
  password: env:RECONCILER_XMPP_PASSWORD
  tls: starttls
  cliMode: multiline
  sessionPrivilege: 15
managed: [hostname, vlan, interface, ntp, management xmpp]
ignore: ['^password 7 \\S+$']
rollout:
  order: [${groupNames.join(", ")}]
  canarySwitches: 0
  waves: ${waves}
  maxParallel: 50
  commitTimer: "00:05:00"${shape.verify ? `\n  verify: ${shape.verify}` : ""}
  replyTimeout: 30s
  verifyTimeout: 60s
  stopOnFailure: true
drift:
  schedule: "0 * * * *"
  selfHeal: false
`,
  );
  // Shared per group: 8 VLANs with names (16 config lines).
  for (const [g, name] of groupNames.entries()) {
    const vlans = Array.from(
      { length: 8 },
      (_, v) => `vlan ${100 * (g + 1) + v}\n   name ${name}-segment-${v}`,
    ).join("\n!\n");
    await writeFile(
      join(dir, "groups", `${name}.yaml`),
      `description: bench group ${name}\nconfig: |\n${indent(vlans)}\n`,
    );
  }
  const groups: Record<string, string[]> = Object.fromEntries(groupNames.map((g) => [g, []]));
  for (let i = 1; i <= switches; i++) {
    const name = `sw${String(i).padStart(3, "0")}`;
    const group = groupNames[(i - 1) % groupCount]!;
    groups[group]!.push(name);
    // Own: 4 interfaces with descriptions naming the switch.
    const own = Array.from(
      { length: 4 },
      (_, e) => `interface Ethernet${e + 1}\n   description ${name} port ${e + 1}`,
    ).join("\n!\n");
    await writeFile(
      join(dir, "devices", `${name}.yaml`),
      `hostname: ${name}\ngroups: [${group}]\nxmpp:\n  user: ${name}\n  password: env:BENCH_SWITCH_PASSWORD\nconfig: |\n${indent(own)}\n`,
    );
  }
  return {
    groups,
    outdated: (_device, intended) =>
      intended
        .replace(/^(vlan \d+)\n {3}name [^\n]*\n/gm, "")
        .replace(/( {3}description \S+ port \d)/g, "$1 (old)")
        .replace(/^end$/m, `${unmanagedBlock(shape.unmanagedLines ?? 0)}end`),
  };
}

/** Local users and SNMP communities: top-level lines outside `managed`, about 60 bytes each. */
function unmanagedBlock(lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i++)
    out.push(
      i % 2 === 0
        ? `username ops${i} privilege 1 role network-operator secret sha512 $6$bench${i}$0123456789abcdef`
        : `snmp-server community bench-ro-${i} ro`,
    );
  return out.length > 0 ? `${out.join("\n")}\n!\n` : "";
}

function indent(text: string): string {
  return text
    .split("\n")
    .map((l) => `  ${l}`)
    .join("\n");
}

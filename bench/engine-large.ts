/**
 * The EOS engine on a very large running config (issue 13: a 3.9 MB reply did not plan in 150 s):
 * about 4 MB of running config — VLANs, SVIs, ACL entries and NTP/logging lines — against an intended
 * config that removes half of every kind (thousands of `no …` lines at one level) and changes the rest.
 * Prints one JSON line per size: {"runningBytes","runningLines","commands","parseMs","remediateMs",
 * "cpuMs"} (`cpuMs`: this process's CPU time for parse + remediate, less sensitive to a shared machine).
 *
 *   npm run --silent bench:engine-large [-- --megabytes 4]
 */
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { parseConfig, remediate, scopeOfAll } from "../reconciler/src/eos/index.ts";

const { values } = parseArgs({ options: { megabytes: { type: "string", multiple: true } } });
const sizes = (values.megabytes ?? ["1", "2", "4"]).map(Number);

/** Running and intended configs of about `bytes` bytes of running config. */
function largePair(bytes: number): { running: string; intended: string } {
  const running: string[] = [];
  const intended: string[] = [];
  const both = (line: string) => {
    running.push(line);
    intended.push(line);
  };
  let size = 0;
  for (let i = 1; size < bytes; i++) {
    const vlan = 2 + (i % 4000);
    const keep = i % 2 === 0;
    const block = [
      `interface Loopback${i}`,
      `   description loopback ${i} of the benchmark switch`,
      `   ip address 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}/32`,
      "!",
    ];
    running.push(...block);
    if (keep) intended.push(block[0]!, `   description loopback ${i} renamed`, block[2]!, "!");
    const line = `ntp server vrf MGMT 10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    running.push(line);
    if (keep) intended.push(line);
    const entry = `logging vrf MGMT host 172.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    running.push(entry);
    if (i % 3 !== 0) intended.push(entry);
    if (i <= 4000) {
      running.push(`vlan ${vlan}`, `   name VLAN-${vlan}`, "!");
      if (keep) intended.push(`vlan ${vlan}`, `   name VLAN-${vlan}-new`, "!");
    }
    size += block.join("\n").length + line.length + entry.length + 24;
  }
  both("end");
  return { running: `${running.join("\n")}\n`, intended: `${intended.join("\n")}\n` };
}

for (const megabytes of sizes) {
  const pair = largePair(megabytes * 1024 * 1024);
  // One warm-up run (JIT), then the measured one.
  for (let round = 0; round < 2; round++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const running = parseConfig(pair.running);
    const intended = parseConfig(pair.intended);
    const t1 = performance.now();
    const { commands } = remediate(running, intended, scopeOfAll(running, intended));
    const t2 = performance.now();
    const cpu = process.cpuUsage(cpu0);
    if (round === 0) continue;
    process.stdout.write(
      `${JSON.stringify({
        runningBytes: pair.running.length,
        runningLines: pair.running.split("\n").length - 1,
        commands: commands.length,
        parseMs: Number((t1 - t0).toFixed(1)),
        remediateMs: Number((t2 - t1).toFixed(1)),
        cpuMs: Number(((cpu.user + cpu.system) / 1000).toFixed(1)),
      })}\n`,
    );
  }
}

/**
 * Address prefixes in CIDR form ("192.0.2.0/24", "2001:db8::/32"), read once for the fabric's
 * validation (events.*.sourcePrefixes) and for matching a switch event's peer address.
 */
import { BlockList, isIP } from "node:net";

export type ReadPrefix = { ok: true; subnet: BlockList } | { ok: false; problem: string };

export function readPrefix(prefix: string): ReadPrefix {
  const [address = "", length = ""] = prefix.split("/");
  const family = isIP(address);
  if (family === 0) return { ok: false, problem: `${address} is not an IPv4 or IPv6 address` };
  const bits = Number(length);
  if (!(bits >= 0 && bits <= (family === 4 ? 32 : 128)))
    return { ok: false, problem: `/${length} is no IPv${family} prefix length` };
  const subnet = new BlockList();
  try {
    subnet.addSubnet(address, bits, family === 4 ? "ipv4" : "ipv6");
  } catch (error) {
    return { ok: false, problem: (error as Error).message };
  }
  return { ok: true, subnet };
}

/** The first prefix that holds `address`, IPv4 or IPv6; undefined when none does. */
export function prefixHolding(address: string, prefixes: string[]): string | undefined {
  const family = isIP(address);
  if (family === 0) return undefined;
  const type = family === 4 ? "ipv4" : "ipv6";
  return prefixes.find((prefix) => {
    const read = readPrefix(prefix);
    return read.ok && read.subnet.check(address, type);
  });
}

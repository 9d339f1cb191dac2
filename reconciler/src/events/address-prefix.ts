import { BlockList, isIP } from "node:net";

/** The first prefix (CIDR) that holds `address`, IPv4 or IPv6; undefined when none does. */
export function prefixHolding(address: string, prefixes: string[]): string | undefined {
  const family = isIP(address);
  if (family === 0) return undefined;
  const type = family === 4 ? "ipv4" : "ipv6";
  return prefixes.find((prefix) => {
    const [network = "", bits = ""] = prefix.split("/");
    if (isIP(network) !== family) return false;
    const list = new BlockList();
    list.addSubnet(network, Number(bits), type);
    return list.check(address, type);
  });
}

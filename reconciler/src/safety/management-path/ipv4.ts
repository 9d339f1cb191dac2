/** IPv4 addresses as numbers, prefixes and wildcard masks: what route and ACL checks compare. */

/** `10.0.0.1` → its 32-bit value; undefined for anything else (a host name, IPv6). */
export function ipv4(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

/** A set of addresses: `address` under `mask` (mask bit 1 = must equal). */
export interface AddressSet {
  address: number;
  mask: number;
  /** How the config wrote it, for messages. */
  text: string;
}

/** `10.0.0.0/8` → the set; undefined when it is not one. */
export function prefix(text: string): (AddressSet & { length: number }) | undefined {
  const match = /^(\d+\.\d+\.\d+\.\d+)\/(\d{1,2})$/.exec(text);
  const address = match ? ipv4(match[1]!) : undefined;
  const length = match ? Number(match[2]) : Number.NaN;
  if (address === undefined || !(length >= 0 && length <= 32)) return undefined;
  const mask = length === 0 ? 0 : (0xffffffff << (32 - length)) >>> 0;
  return { address: (address & mask) >>> 0, mask, text, length };
}

/** `10.0.0.0 0.255.255.255` (a wildcard: bit 1 = any) → the set. */
export function wildcard(address: string, bits: string): AddressSet | undefined {
  const a = ipv4(address);
  const w = ipv4(bits);
  if (a === undefined || w === undefined) return undefined;
  const mask = ~w >>> 0;
  return { address: (a & mask) >>> 0, mask, text: `${address} ${bits}` };
}

export function contains(set: AddressSet, address: number): boolean {
  return (address & set.mask) >>> 0 === set.address;
}

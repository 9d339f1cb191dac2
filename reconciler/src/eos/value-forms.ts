/** Canonical forms of EOS values whose spelling varies (VLAN lists, address masks). */

const MAX_VLAN = 4094;

/** "10-12,20" → [10, 11, 12, 20]; undefined when the text is not a VLAN list. */
export function parseVlanList(text: string): number[] | undefined {
  if (text === "all") return range(1, MAX_VLAN);
  if (text === "none") return [];
  const ids = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (!m) return undefined;
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    if (low < 1 || high > MAX_VLAN || high < low) return undefined;
    for (let id = low; id <= high; id++) ids.add(id);
  }
  return [...ids].sort((a, b) => a - b);
}

export function expandVlanList(text: string): string[] {
  return (parseVlanList(text) ?? []).map(String);
}

/** Sorted, merged ranges as EOS prints them ("10-12,20"); "all" and "none" stay words. */
export function canonicalVlanList(text: string): string {
  const ids = parseVlanList(text);
  if (!ids) return text;
  return formatVlanList(ids);
}

export function formatVlanList(ids: readonly number[]): string {
  if (ids.length === 0) return "none";
  if (ids.length === MAX_VLAN) return "all";
  const parts: string[] = [];
  let start = ids[0]!;
  let prev = start;
  for (let i = 1; i <= ids.length; i++) {
    const id = ids[i];
    if (id === prev + 1) {
      prev = id;
      continue;
    }
    parts.push(start === prev ? String(start) : `${start}-${prev}`);
    if (id === undefined) break;
    start = id;
    prev = id;
  }
  return parts.join(",");
}

/** `switchport trunk allowed vlan add|remove ITEMS` applied to the current list. */
export function editVlanList(current: string, op: "add" | "remove", items: string): string {
  const base = new Set(parseVlanList(current) ?? []);
  for (const id of parseVlanList(items) ?? []) {
    if (op === "add") base.add(id);
    else base.delete(id);
  }
  return formatVlanList([...base].sort((a, b) => a - b));
}

/** "10.0.0.1" + "255.255.255.0" → "10.0.0.1/24" (EOS shows prefix lengths); non-contiguous masks stay. */
export function canonicalIpAddress(address: string, mask: string): string {
  const octets = mask.split(".").map(Number);
  let bits = 0;
  let seenZero = false;
  for (const octet of octets) {
    for (let bit = 7; bit >= 0; bit--) {
      const set = (octet >> bit) & 1;
      if (set && seenZero) return `${address} ${mask}`;
      if (set) bits++;
      else seenZero = true;
    }
  }
  return `${address}/${bits}`;
}

function range(low: number, high: number): number[] {
  const out: number[] = [];
  for (let id = low; id <= high; id++) out.push(id);
  return out;
}

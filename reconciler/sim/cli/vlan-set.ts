/** VLAN lists as EOS prints them (`4093-4094,10`), for the simulator's list-valued settings. */

function ids(text: string): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(",")) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const low = Number(m[1]);
    const high = m[2] === undefined ? low : Number(m[2]);
    for (let id = low; id <= high; id++) out.add(id);
  }
  return out;
}

function format(set: Set<number>): string {
  const sorted = [...set].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    parts.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return parts.join(",");
}

/** `current` with `items` added or taken out; "" when nothing is left. */
export function editVlanSet(current: string, op: "add" | "remove", items: string): string {
  const set = ids(current);
  for (const id of ids(items)) {
    if (op === "add") set.add(id);
    else set.delete(id);
  }
  return format(set);
}

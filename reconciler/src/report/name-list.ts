/**
 * Messages that name switches stay one readable line however many there are: a count, the first few
 * names, and how many more (`--json` carries every name). A fabric of 2,000 switches where 800 time out
 * must not print 800 names in one sentence.
 */

/** How many names a one-line message shows before "and N more". */
export const NAMES_SHOWN = 5;

/** "sw1", "sw1 and sw2", "sw1, sw2 and sw3", "sw1, sw2, sw3, sw4, sw5 and 795 more". */
export function someNames(names: readonly string[], shown = NAMES_SHOWN): string {
  if (names.length === 0) return "none";
  if (names.length === 1) return names[0]!;
  if (names.length <= shown) return `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return `${names.slice(0, shown).join(", ")} and ${names.length - shown} more`;
}

/** "1 switch (sw1)", "800 switches (sw200, …, sw204 and 795 more)". */
export function countedNames(
  names: readonly string[],
  noun: [singular: string, plural: string] = ["switch", "switches"],
  shown = NAMES_SHOWN,
): string {
  return `${names.length.toLocaleString("en-US")} ${names.length === 1 ? noun[0] : noun[1]} (${someNames(names, shown)})`;
}

export interface NamedProblem {
  device: string;
  /** What kind of problem (an error code: timeout, offline, …); problems group by it. */
  kind: string;
  /** The full reason for this switch. */
  reason: string;
}

/**
 * Problems grouped by kind, the biggest group first (ties by name): "timeout ×800 (sw200, … and 795
 * more; e.g. sw200: no reply within 60000 ms)", "offline ×2 (sw7 and sw9; …)", joined with "; ".
 */
export function problemSummary(
  problems: readonly NamedProblem[],
  { shown = NAMES_SHOWN, separator = "; " } = {},
): string {
  const byKind = new Map<string, NamedProblem[]>();
  for (const p of problems) {
    const list = byKind.get(p.kind);
    if (list) list.push(p);
    else byKind.set(p.kind, [p]);
  }
  return [...byKind.entries()]
    .sort(([ka, a], [kb, b]) => b.length - a.length || ka.localeCompare(kb))
    .map(([kind, list]) => {
      const names = someNames(
        list.map((p) => p.device),
        shown,
      );
      const example = list[0]!;
      const reason = example.reason.startsWith(`${example.device}:`)
        ? example.reason
        : `${example.device}: ${example.reason}`;
      return list.length === 1 ? `${kind}: ${reason}` : `${kind} ×${list.length} (${names}; e.g. ${reason})`;
    })
    .join(separator);
}

/**
 * Faults a simulated switch can be told to have, at runtime or from a spec string for the CLI:
 *   leaf2:offline,spine1:slow=2000,leaf3:reject=vlan 30,leaf4:drop-reply,leaf1:disconnect-in-session,leaf1:drift
 * `drift` takes optional config lines separated by `;` (default: a VLAN nobody asked for).
 * `slow` waits before running a message; `slow-reply` runs it at once and waits before answering.
 * `ignore=PATTERN`: the switch accepts a matching config line without error but does not apply it (a
 * command the platform silently does not support); only verification can catch it.
 * `hang=PATTERN`: a message containing PATTERN is neither run nor answered (a wedged agent).
 * `garble-reply`: the switch answers every message with text that is no config (indented with spaces
 * and tabs mixed), as a broken agent or a corrupted transfer would: such a switch cannot be planned.
 */

export type Fault =
  | { kind: "offline" }
  | { kind: "slow"; ms: number }
  | { kind: "slow-reply"; ms: number }
  | { kind: "drop-reply" }
  | { kind: "garble-reply" }
  | { kind: "reject"; pattern: string }
  | { kind: "ignore"; pattern: string }
  | { kind: "hang"; pattern: string }
  | { kind: "disconnect-in-session" }
  | { kind: "drift"; lines: string[] };

export const DEFAULT_DRIFT = ["vlan 3999", "   name out-of-band-change"];

export type FaultSpecResult = { ok: true; faults: Map<string, Fault[]> } | { ok: false; error: string };

export function parseFault(text: string): Fault | string {
  const [kind, ...rest] = text.split("=");
  const value = rest.join("=");
  switch (kind) {
    case "offline":
    case "drop-reply":
    case "garble-reply":
    case "disconnect-in-session":
      return value === "" ? { kind } : `fault ${kind} takes no value`;
    case "slow":
    case "slow-reply": {
      const ms = Number(value);
      return Number.isInteger(ms) && ms >= 0
        ? { kind, ms }
        : `${kind} needs milliseconds, e.g. ${kind}=2000 (got "${value}")`;
    }
    case "reject":
    case "ignore":
    case "hang":
      return value.trim() !== ""
        ? { kind, pattern: value.trim() }
        : `${kind} needs a line pattern, e.g. ${kind}=vlan 30`;
    case "drift":
      return {
        kind,
        lines: value === "" ? DEFAULT_DRIFT : value.split(";").map((l) => l.replace(/\s+$/, "")),
      };
    default:
      return `unknown fault "${kind}" (known: offline, slow=MS, slow-reply=MS, drop-reply, garble-reply, reject=PATTERN, ignore=PATTERN, hang=PATTERN, disconnect-in-session, drift[=LINES])`;
  }
}

/** Parses `device:fault[=value],…`; `known` (device names) catches typos. */
export function parseFaultSpec(spec: string, known?: Set<string>): FaultSpecResult {
  const faults = new Map<string, Fault[]>();
  for (const item of spec
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean)) {
    const colon = item.indexOf(":");
    if (colon <= 0) return { ok: false, error: `"${item}": expected device:fault, e.g. leaf2:offline` };
    const device = item.slice(0, colon);
    if (known && !known.has(device))
      return { ok: false, error: `"${item}": no simulated switch named ${device}` };
    const fault = parseFault(item.slice(colon + 1));
    if (typeof fault === "string") return { ok: false, error: `"${item}": ${fault}` };
    faults.set(device, [...(faults.get(device) ?? []), fault]);
  }
  return { ok: true, faults };
}

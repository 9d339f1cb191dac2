import { type AddressSet, contains, ipv4, prefix, wildcard } from "./ipv4.ts";

/**
 * Whether an EOS IPv4 ACL lets the XMPP session through, decided the safe way: EOS takes the first
 * entry that matches and denies what none matches; an entry that may or may not match (an unknown
 * keyword, a port range that covers part of the ephemeral ports, an unknown address) counts as a
 * match when it denies and as no match when it permits. So "permits" is a proof, "denies" may be a
 * doubt, and the entry that decided is named.
 */

/** One direction of the session's packets, as the ACL sees them. */
export interface Flow {
  /** Undefined: not known (a host name, an interface without a static address). */
  source: number | undefined;
  sourcePorts: readonly [number, number];
  destination: number | undefined;
  destinationPorts: readonly [number, number];
  /** Packets that carry ACK (all of them inbound; all but the first SYN outbound). */
  ack: Tri;
}

export interface AclVerdict {
  permits: boolean;
  /** The entry that decided, as written ("implicit deny" when none matched). */
  entry: string;
  /** False when an entry of doubt decided (it may deny). */
  certain: boolean;
}

type Tri = "yes" | "no" | "maybe";

/** Port names EOS accepts in ACLs for the ports that matter here. */
const portNames: Record<string, number> = {
  ssh: 22,
  www: 80,
  https: 443,
  "xmpp-client": 5222,
  "xmpp-server": 5269,
};

/** Words after the addresses that do not narrow the match. */
const noEffect = new Set(["log"]);

export function aclVerdict(entries: readonly string[], flow: Flow, standard: boolean): AclVerdict {
  let doubt = false;
  for (const raw of entries) {
    const words = raw.trim().split(/\s+/);
    if (/^\d+$/.test(words[0] ?? "")) words.shift();
    const action = words.shift();
    if (action !== "permit" && action !== "deny") continue; // remark, counters per-entry, …
    const match = standard ? matchStandard(words, flow) : matchExtended(words, flow);
    if (match === "no") continue;
    if (action === "permit" && match === "yes") return { permits: true, entry: raw.trim(), certain: true };
    if (action === "deny") return { permits: false, entry: raw.trim(), certain: match === "yes" && !doubt };
    doubt = true; // a permit that may not match: what follows decides, with a doubt
  }
  return { permits: false, entry: "implicit deny (no entry surely permits it)", certain: !doubt };
}

function matchStandard(words: string[], flow: Flow): Tri {
  const source = addressSpec(words, flow.source);
  if (!source) return "maybe";
  return and(source, words.every((w) => noEffect.has(w)) ? "yes" : "maybe");
}

function matchExtended(words: string[], flow: Flow): Tri {
  const protocol = words.shift();
  let result: Tri = protocol === "ip" || protocol === "tcp" || protocol === "6" ? "yes" : "no";
  if (result === "no") return "no";
  const source = addressSpec(words, flow.source);
  if (!source) return "maybe";
  result = and(result, source);
  if (protocol !== "ip") result = and(result, portSpec(words, flow.sourcePorts));
  const destination = addressSpec(words, flow.destination);
  if (!destination) return and(result, "maybe");
  result = and(result, destination);
  if (protocol !== "ip") result = and(result, portSpec(words, flow.destinationPorts));
  for (const word of words) {
    if (noEffect.has(word)) continue;
    result = and(result, word === "established" && protocol === "tcp" ? flow.ack : "maybe");
  }
  return result;
}

/** Consumes `any`, `host A`, `A/len` or `A WILDCARD`; undefined when the words are none of these. */
function addressSpec(words: string[], address: number | undefined): Tri | undefined {
  const first = words.shift();
  if (first === undefined) return undefined;
  if (first === "any") return "yes";
  let set: AddressSet | undefined;
  if (first === "host") {
    const host = words.shift() ?? "";
    set = ipv4(host) === undefined ? undefined : prefix(`${host}/32`);
  } else if (first.includes("/")) {
    set = prefix(first);
  } else if (ipv4(first) !== undefined && ipv4(words[0] ?? "") !== undefined) {
    set = wildcard(first, words.shift()!);
  }
  if (!set) return undefined;
  if (address === undefined) return "maybe";
  return contains(set, address) ? "yes" : "no";
}

/** Consumes a port operator if one comes next; no operator matches every port. */
function portSpec(words: string[], [low, high]: readonly [number, number]): Tri {
  const operator = words[0];
  if (
    operator !== "eq" &&
    operator !== "neq" &&
    operator !== "gt" &&
    operator !== "lt" &&
    operator !== "range"
  )
    return "yes";
  words.shift();
  const ports: number[] = [];
  const arity =
    operator === "range" ? 2 : operator === "gt" || operator === "lt" ? 1 : Number.POSITIVE_INFINITY;
  while (ports.length < arity && words.length > 0) {
    const word = words[0]!;
    const port = /^\d+$/.test(word) ? Number(word) : portNames[word];
    if (port === undefined) {
      if (ports.length === 0) {
        words.shift();
        return "maybe"; // a port name this table does not know
      }
      break;
    }
    ports.push(port);
    words.shift();
  }
  if (operator === "gt") return low > ports[0]! ? "yes" : high <= ports[0]! ? "no" : "maybe";
  if (operator === "lt") return high < ports[0]! ? "yes" : low >= ports[0]! ? "no" : "maybe";
  if (operator === "range") {
    const [from, to] = [ports[0]!, ports[1] ?? ports[0]!];
    return from <= low && high <= to ? "yes" : high < from || low > to ? "no" : "maybe";
  }
  const hit = ports.some((p) => p >= low && p <= high);
  const all = low === high && hit;
  const eq: Tri = all ? "yes" : hit ? "maybe" : "no";
  if (operator === "eq") return eq;
  return eq === "yes" ? "no" : eq === "no" ? "yes" : "maybe";
}

function and(a: Tri, b: Tri): Tri {
  if (a === "no" || b === "no") return "no";
  return a === "yes" && b === "yes" ? "yes" : "maybe";
}

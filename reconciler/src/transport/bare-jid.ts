import { jid } from "@xmpp/client";

/** How many addresses are remembered; past it the memory starts again (a bound, not a tuning). */
const LIMIT = 50_000;
const known = new Map<string, string>();

/**
 * The bare JID of an address, lower-cased (JID local and domain parts are case-insensitive), as
 * @xmpp/jid parses it, remembered by the address: every stanza's sender is looked up, and parsing
 * (XEP-0106 escape detection) cost a 2,000-switch apply 0.3 s of CPU (issue 14). The addresses are
 * the fabric's switches, rooms and their occupants, so few; bounded all the same.
 */
export function bareJidOf(address: string): string {
  let bare = known.get(address);
  if (bare === undefined) {
    bare = jid(address).bare().toString().toLowerCase();
    if (known.size >= LIMIT) known.clear();
    known.set(address, bare);
  }
  return bare;
}

import { jid } from "@xmpp/client";
import { textMemo } from "../memo/text-memo.ts";

/**
 * The bare JID of an address, lower-cased (JID local and domain parts are case-insensitive), as
 * @xmpp/jid parses it, remembered by the address: every stanza's sender is looked up, and parsing
 * (XEP-0106 escape detection) cost a 2,000-switch apply 0.3 s of CPU (issue 14). The addresses are
 * the fabric's switches, rooms and their occupants, so few; bounded all the same.
 */
export const bareJidOf = textMemo((address) => jid(address).bare().toString().toLowerCase());

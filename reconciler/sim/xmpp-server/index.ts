/** A throw-away XMPP server by name: the tests, the demo and `reconciler sim` pick Prosody or ejabberd. */
import { startEjabberd } from "../ejabberd/index.ts";
import { startProsody } from "../prosody/index.ts";
import type { XmppServer, XmppServerKind, XmppServerOptions } from "./types.ts";

export { freePort, isPortOpen } from "./loopback.ts";
export {
  isXmppServerKind,
  PortInUseError,
  XMPP_SERVER_KINDS,
  type XmppServer,
  type XmppServerKind,
  XmppServerNotInstalledError,
  type XmppServerOptions,
} from "./types.ts";

const starters: Record<XmppServerKind, (o: XmppServerOptions) => Promise<XmppServer>> = {
  prosody: startProsody,
  ejabberd: startEjabberd,
};

export function startXmppServer(kind: XmppServerKind, options: XmppServerOptions = {}): Promise<XmppServer> {
  return starters[kind](options);
}

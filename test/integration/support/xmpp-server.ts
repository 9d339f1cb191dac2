/**
 * Which throw-away XMPP server the integration tests run against. `npm test` runs them on Prosody, then
 * again with XMPP_TEST_SERVER=ejabberd. Only the test harness reads this variable; product code is told.
 */
import {
  isXmppServerKind,
  startXmppServer,
  type XmppServer,
  type XmppServerKind,
  type XmppServerOptions,
} from "../../../reconciler/sim/xmpp-server/index.ts";

function kindFromEnv(): XmppServerKind {
  const name = process.env.XMPP_TEST_SERVER || "prosody";
  if (!isXmppServerKind(name)) throw new Error(`XMPP_TEST_SERVER=${name}: use prosody or ejabberd`);
  return name;
}

export const TEST_SERVER: XmppServerKind = kindFromEnv();

export function startTestServer(options: XmppServerOptions = {}): Promise<XmppServer> {
  return startXmppServer(TEST_SERVER, options);
}

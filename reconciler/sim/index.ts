/**
 * Simulated EOS switches that speak the real XMPP protocol, and the throw-away XMPP server (Prosody or
 * ejabberd) they run against.
 * Used by integration tests, the demo and the benchmarks.
 */
export { type ConfigNode, parseConfig, renderConfig } from "./cli/config-tree.ts";
export { CliSession, type SwitchEnv } from "./cli/interpreter.ts";
export { ConfigStore } from "./cli/store.ts";
export { DEFAULT_DRIFT, type Fault, parseFault, parseFaultSpec } from "./faults.ts";
export { type SimFabricOptions, type SimFleet, startSimulatedFabric } from "./fleet.ts";
export { type ProsodyOptions, type ProsodyServer, startProsody } from "./prosody/index.ts";
export { type SimServer, SimSwitch, type SimSwitchSpec } from "./switch.ts";
export { formatSyslog, type SyslogLine, type SyslogTarget, sendSyslog } from "./syslog-sender.ts";
export { readXmppIdentity, type XmppIdentity } from "./xmpp-identity.ts";
export {
  startXmppServer,
  type XmppServer,
  type XmppServerKind,
  type XmppServerOptions,
} from "./xmpp-server/index.ts";

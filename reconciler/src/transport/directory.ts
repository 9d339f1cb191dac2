/** Names → addresses for a fabric: a switch's JID and a group's room, under the resolved settings. */
import type { Fabric } from "../fabric/types.ts";
import type { TransportSettings } from "./settings.ts";
import type { TransportDirectory } from "./transport.ts";

/**
 * The domain and MUC service come from the resolved settings, so one repo runs against a lab and
 * production (RECONCILER_XMPP_DOMAIN / _MUC override the file, and the switches' JIDs follow).
 */
export function fabricDirectory(
  fabric: Fabric,
  settings: Pick<TransportSettings, "domain" | "mucService">,
): TransportDirectory {
  return {
    deviceJid(name) {
      const device = fabric.devices[name];
      if (!device)
        throw new Error(`unknown switch ${JSON.stringify(name)}: not a device of fabric ${fabric.name}`);
      return `${device.xmpp.user}@${settings.domain}`;
    },
    groupRoom: (name) => `${name}@${settings.mucService}`,
    deviceNames: () => Object.keys(fabric.devices),
  };
}

import type { Device, Fabric } from "../fabric/types.ts";
import type { ReceivedSyslog } from "./types.ts";

/**
 * The switch a message comes from, by what the sender cannot choose: over TLS the names in its verified
 * certificate (the device name or hostname), otherwise the source address, which must be the switch's
 * `managementAddress` in git. The host name inside the message is the sender's claim and never counts.
 */
export function identifySwitch(fabric: Fabric, message: ReceivedSyslog): Device | undefined {
  const devices = Object.values(fabric.devices);
  if (message.transport === "tls") {
    const names = new Set((message.certificateNames ?? []).map((n) => n.toLowerCase()));
    return devices.find((d) => names.has(d.name.toLowerCase()) || names.has(d.hostname.toLowerCase()));
  }
  return devices.find(
    (d) => d.managementAddress !== undefined && sameAddress(d.managementAddress, message.source),
  );
}

/** IPv6 is compared case-insensitively; "::ffff:a.b.c.d" is already unmapped by the listener. */
function sameAddress(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * Simulated switches for a fabric (one per device, running config from files or from the intended
 * config with deliberate differences for demos), or N generated switches for load tests.
 */
import type { CliMode, Fabric } from "../src/fabric/types.ts";
import type { SimSwitchSpec } from "./switch.ts";

/**
 * Running config for a demo: the intended config with one deliberate difference per switch, chosen by
 * its position, so that `plan` has something to show (a changed description, a missing line, an extra
 * VLAN). The `management xmpp` block is left alone, so the switch still connects and joins its rooms.
 */
export function demoRunningConfig(intended: string, index: number): string {
  const lines = intended.split("\n");
  switch (index % 3) {
    case 0: {
      const i = lines.findIndex((l) => /^ {3}description /.test(l));
      if (i >= 0) {
        lines[i] = "   description changed by hand";
        return lines.join("\n");
      }
      break;
    }
    case 1: {
      const i = lines.findIndex((l) => /^(ntp server|logging host) /.test(l));
      if (i >= 0) {
        lines.splice(i, 1);
        return lines.join("\n");
      }
      break;
    }
  }
  const end = lines.lastIndexOf("end");
  lines.splice(end >= 0 ? end : lines.length, 0, "vlan 999", "   name not-in-git", "!");
  return lines.join("\n");
}

export interface FabricSpecOptions {
  /** Intended config text of a device (renderIntended). */
  intended(device: string): string;
  /** Running config from files, when given for the device. */
  running?(device: string): string | undefined;
  password(device: string): string;
  cliMode?: CliMode;
  /** Use the intended config as is (no demo differences) when no running file exists. */
  exact?: boolean;
}

export function specsFromFabric(fabric: Fabric, o: FabricSpecOptions): SimSwitchSpec[] {
  return Object.keys(fabric.devices)
    .sort()
    .map((name, index) => {
      const fromFile = o.running?.(name);
      const intended = fromFile === undefined ? o.intended(name) : "";
      return {
        name,
        password: o.password(name),
        runningConfig: fromFile ?? (o.exact ? intended : demoRunningConfig(intended, index)),
        // a switch has one framing; for a fabric that detects it (`auto`), the simulator's default
        cliMode: o.cliMode ?? (fabric.xmpp.cliMode === "auto" ? undefined : fabric.xmpp.cliMode),
      };
    });
}

export interface GeneratedOptions {
  domain: string;
  mucService: string;
  /** Switches per rack room (`rack1`, `rack2`, …); every switch is also in room `all`. */
  rackSize?: number;
  password?(name: string): string;
  cliMode?: CliMode;
  privilege?: number;
}

/** A small running config whose `management xmpp` block logs in as `name` and joins `rooms`. */
export function simSwitchConfig(
  name: string,
  o: { domain: string; mucService: string; rooms?: string[]; privilege?: number },
): string {
  return [
    `hostname ${name}`,
    "!",
    "vlan 10",
    "   name servers",
    "!",
    "interface Ethernet1",
    `   description uplink of ${name}`,
    "!",
    "management xmpp",
    "   no shutdown",
    "   server 127.0.0.1",
    `   username ${name}@${o.domain}`,
    `   domain ${o.domain}`,
    `   session privilege ${o.privilege ?? 15}`,
    ...(o.rooms ?? []).map((room) => `   switch-group ${room}@${o.mucService}`),
    "!",
    "end",
  ].join("\n");
}

/** N switches `sw1`…`swN` with a small config, in rooms `all` and `rackK`. */
export function generatedSwitches(count: number, o: GeneratedOptions): SimSwitchSpec[] {
  const rackSize = o.rackSize ?? 10;
  return Array.from({ length: count }, (_, i) => {
    const name = `sw${i + 1}`;
    const rack = `rack${Math.floor(i / rackSize) + 1}`;
    const runningConfig = simSwitchConfig(name, {
      domain: o.domain,
      mucService: o.mucService,
      rooms: ["all", rack],
      privilege: o.privilege,
    });
    return { name, runningConfig, password: o.password?.(name) ?? `${name}-sim`, cliMode: o.cliMode };
  });
}

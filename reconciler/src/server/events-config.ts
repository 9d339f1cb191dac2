/**
 * The service config's `events:` block: where `serve` listens for switch syslog. Addresses default to
 * loopback (a switch reaches it through a relay or the service is told to listen wider, on purpose).
 */
export interface SyslogListenConfig {
  udp?: { host: string; port: number };
  tcp?: { host: string; port: number };
  /** RFC 5425: the switch's certificate must chain to `caFile`; its names identify the switch. */
  tls?: { host: string; port: number; certFile: string; keyFile: string; caFile: string };
}

export interface EventsServiceConfig {
  syslog: SyslogListenConfig;
}

const DEFAULT_HOST = "127.0.0.1";

export function parseEventsConfig(
  raw: unknown,
  file: string,
  errors: string[],
): EventsServiceConfig | undefined {
  if (raw === undefined) return undefined;
  const block = raw as { syslog?: Record<string, Record<string, unknown> | undefined> };
  const syslog = block?.syslog;
  if (typeof syslog !== "object" || syslog === null) {
    errors.push(
      `${file}: events.syslog must list the listeners (udp, tcp, tls), e.g. events: { syslog: { udp: { port: 5514 } } }`,
    );
    return undefined;
  }
  const address = (name: "udp" | "tcp" | "tls") => {
    const entry = syslog[name];
    if (entry === undefined) return undefined;
    const host = entry.host ?? DEFAULT_HOST;
    const port = entry.port;
    if (typeof host !== "string" || host === "")
      errors.push(`${file}: events.syslog.${name}.host must be an address`);
    if (typeof port !== "number" || !Number.isInteger(port) || port < 0 || port > 65_535)
      errors.push(`${file}: events.syslog.${name}.port must be a port number (0 to 65535)`);
    return { host: String(host), port: Number(port) };
  };
  const config: SyslogListenConfig = {};
  const udp = address("udp");
  const tcp = address("tcp");
  const tls = address("tls");
  if (udp) config.udp = udp;
  if (tcp) config.tcp = tcp;
  if (tls) {
    const entry = syslog.tls!;
    const path = (key: "certFile" | "keyFile" | "caFile") => {
      const value = entry[key];
      if (typeof value === "string" && value !== "") return value;
      errors.push(
        `${file}: events.syslog.tls.${key} must name a PEM file (the listener's certificate, its key, the switches' CA)`,
      );
      return "";
    };
    config.tls = { ...tls, certFile: path("certFile"), keyFile: path("keyFile"), caFile: path("caFile") };
  }
  if (!config.udp && !config.tcp && !config.tls)
    errors.push(`${file}: events.syslog names no listener; add udp, tcp or tls`);
  return { syslog: config };
}

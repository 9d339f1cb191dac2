import { createSocket, type Socket as UdpSocket } from "node:dgram";
import { createServer as createTcpServer, isIPv6, type Server, type Socket } from "node:net";
import { createServer as createTlsServer, type TLSSocket } from "node:tls";
import { SyslogFrameError, syslogFrames } from "./syslog-frames.ts";
import type { ReceivedSyslog, SyslogTransport } from "./types.ts";

export interface ListenAddress {
  host: string;
  port: number;
}

/** RFC 5425 §4.2: a TLS syslog receiver authenticates its senders; so the CA is required, not optional. */
export interface TlsListenAddress extends ListenAddress {
  /** PEM: the listener's certificate chain and key, and the CA that switch certificates must chain to. */
  cert: string;
  key: string;
  ca: string;
}

export interface SyslogListenerOptions {
  udp?: ListenAddress;
  tcp?: ListenAddress;
  tls?: TlsListenAddress;
  /** Longer messages are dropped (UDP) or end the connection (TCP, TLS). Default 8192 (RFC 5425 §4.3.1 asks ≥ 2048). */
  maxMessageBytes?: number;
  /** Stream connections open at once; more are closed at once. Default 256. */
  maxConnections?: number;
  onMessage(message: ReceivedSyslog): void;
  /** A frame or connection that could not be read: counted and logged by the caller, never acted on. */
  onFault(fault: { transport: SyslogTransport; source: string; reason: string }): void;
}

export interface SyslogListener {
  /** Where each transport listens (the real port when 0 was asked for). */
  addresses: Partial<Record<SyslogTransport, ListenAddress>>;
  close(): Promise<void>;
}

/** "::ffff:127.0.0.1" → "127.0.0.1": a dual-stack socket reports IPv4 senders mapped into IPv6. */
export function plainAddress(address: string | undefined): string {
  if (!address) return "";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** Subject CN and DNS subject alternative names of a verified peer certificate. */
function certificateNames(socket: TLSSocket): string[] {
  const cert = socket.getPeerCertificate();
  const names: string[] = [];
  const cn = cert?.subject?.CN;
  if (typeof cn === "string") names.push(cn);
  for (const entry of (cert?.subjectaltname ?? "").split(/,\s*/)) {
    if (entry.startsWith("DNS:")) names.push(entry.slice(4));
  }
  return [...new Set(names)];
}

/** Syslog over UDP (RFC 5426), TCP (RFC 6587) and TLS (RFC 5425) on the addresses given. */
export async function startSyslogListener(options: SyslogListenerOptions): Promise<SyslogListener> {
  const maxBytes = options.maxMessageBytes ?? 8192;
  const maxConnections = options.maxConnections ?? 256;
  const addresses: SyslogListener["addresses"] = {};
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    await Promise.all(closers.splice(0).map((closeOne) => closeOne()));
  };

  const receive = (transport: SyslogTransport, socket: Socket, names?: string[]) => {
    const source = plainAddress(socket.remoteAddress);
    const frames = syslogFrames(maxBytes);
    const deliver = (messages: string[]) => {
      for (const text of messages)
        options.onMessage({
          transport,
          source,
          receivedAt: new Date(),
          text,
          ...(names ? { certificateNames: names } : {}),
        });
    };
    socket.on("data", (chunk: Buffer) => {
      try {
        deliver(frames.push(chunk));
      } catch (error) {
        if (!(error instanceof SyslogFrameError)) throw error;
        options.onFault({ transport, source, reason: error.message });
        socket.destroy();
      }
    });
    socket.on("end", () => deliver(frames.end()));
    socket.on("error", () => socket.destroy());
  };

  const listen = (server: Server, transport: SyslogTransport, at: ListenAddress) =>
    new Promise<void>((resolve, reject) => {
      server.maxConnections = maxConnections;
      server.once("error", reject);
      server.listen(at.port, at.host, () => {
        server.off("error", reject);
        const bound = server.address() as { port: number };
        addresses[transport] = { host: at.host, port: bound.port };
        const sockets = new Set<Socket>();
        server.on("connection", (socket: Socket) => {
          sockets.add(socket);
          socket.once("close", () => sockets.delete(socket));
        });
        closers.push(
          () =>
            new Promise<void>((done) => {
              for (const socket of sockets) socket.destroy();
              server.close(() => done());
            }),
        );
        resolve();
      });
    });

  try {
    if (options.udp) {
      const at = options.udp;
      const socket: UdpSocket = createSocket({ type: isIPv6(at.host) ? "udp6" : "udp4" });
      socket.on("message", (datagram, remote) => {
        const source = plainAddress(remote.address);
        if (datagram.length > maxBytes) {
          options.onFault({
            transport: "udp",
            source,
            reason: `datagram of ${datagram.length} bytes exceeds the limit of ${maxBytes}`,
          });
          return;
        }
        // RFC 5426 §3.1: one message per datagram; a trailing LF is tolerated.
        const text = datagram
          .toString("utf8")
          .replace(/^\uFEFF/, "")
          .replace(/\r?\n$/, "");
        options.onMessage({ transport: "udp", source, receivedAt: new Date(), text });
      });
      await new Promise<void>((resolve, reject) => {
        socket.once("error", reject);
        socket.bind(at.port, at.host, () => {
          socket.off("error", reject);
          addresses.udp = { host: at.host, port: socket.address().port };
          resolve();
        });
      });
      closers.push(() => new Promise<void>((done) => socket.close(() => done())));
    }
    if (options.tcp) {
      const server = createTcpServer((socket) => receive("tcp", socket));
      await listen(server, "tcp", options.tcp);
    }
    if (options.tls) {
      const at = options.tls;
      const server = createTlsServer(
        {
          cert: at.cert,
          key: at.key,
          ca: at.ca,
          requestCert: true,
          rejectUnauthorized: true,
          minVersion: "TLSv1.2",
        },
        (socket) => receive("tls", socket, certificateNames(socket)),
      );
      server.on("tlsClientError", (error, socket) =>
        options.onFault({
          transport: "tls",
          source: plainAddress(socket.remoteAddress),
          reason: `TLS: ${error.message}`,
        }),
      );
      await listen(server, "tls", at);
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { addresses, close };
}

/**
 * What a simulated switch uses to send syslog to the reconciler: RFC 5424 or RFC 3164 lines over UDP,
 * TCP (octet-counted, RFC 6587 §3.4.1) or TLS (RFC 5425), optionally from a given local address so
 * that on loopback each simulated switch has a source address of its own (127.0.0.0/8).
 */
import { createSocket } from "node:dgram";
import { connect as connectTcp, isIPv6, type Socket } from "node:net";
import { connect as connectTls } from "node:tls";

export interface SyslogTarget {
  transport: "udp" | "tcp" | "tls";
  host: string;
  port: number;
  /** Local address to send from (the switch's management address on loopback). */
  from?: string;
  /** TLS: PEM of the switch's certificate and key, and the CA the receiver's certificate chains to. */
  tls?: { cert: string; key: string; ca: string; servername?: string };
}

export interface SyslogLine {
  host: string;
  app: string;
  message: string;
  /** Default 5 (notice). */
  severity?: number;
  /** Default 23 (local7, where EOS logs by default). */
  facility?: number;
  format?: "rfc5424" | "rfc3164";
  at?: Date;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** One syslog message as a switch writes it. */
export function formatSyslog(line: SyslogLine): string {
  const pri = `<${(line.facility ?? 23) * 8 + (line.severity ?? 5)}>`;
  const at = line.at ?? new Date();
  if ((line.format ?? "rfc5424") === "rfc5424")
    return `${pri}1 ${at.toISOString()} ${line.host} ${line.app} - - - ${line.message}`;
  const pad = (n: number) => String(n).padStart(2, "0");
  const stamp = `${MONTHS[at.getUTCMonth()]} ${String(at.getUTCDate()).padStart(2, " ")} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())}`;
  return `${pri}${stamp} ${line.host} ${line.app}: ${line.message}`;
}

/** Sends the messages (each already formatted) over one socket and closes it. */
export async function sendSyslog(target: SyslogTarget, messages: string[]): Promise<void> {
  if (target.transport === "udp") {
    const socket = createSocket(isIPv6(target.host) ? "udp6" : "udp4");
    try {
      if (target.from) await new Promise<void>((resolve) => socket.bind(0, target.from, resolve));
      for (const message of messages) {
        await new Promise<void>((resolve, reject) =>
          socket.send(Buffer.from(message, "utf8"), target.port, target.host, (error) =>
            error ? reject(error) : resolve(),
          ),
        );
      }
    } finally {
      socket.close();
    }
    return;
  }
  const socket = await openStream(target);
  const frames = messages.map((message) => {
    const bytes = Buffer.from(message, "utf8");
    return Buffer.concat([Buffer.from(`${bytes.length} `, "ascii"), bytes]);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once("error", reject);
    socket.end(Buffer.concat(frames), () => resolve());
  });
  await new Promise<void>((resolve) => {
    if (socket.closed) return resolve();
    socket.once("close", () => resolve());
    socket.resume();
  });
}

function openStream(target: SyslogTarget): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const local = target.from ? { localAddress: target.from } : {};
    if (target.transport === "tls") {
      if (!target.tls) return reject(new Error("TLS syslog needs the switch's certificate, key and the CA"));
      const socket = connectTls(
        {
          host: target.host,
          port: target.port,
          ...local,
          cert: target.tls.cert,
          key: target.tls.key,
          ca: target.tls.ca,
          servername: target.tls.servername ?? "localhost",
        },
        () => resolve(socket),
      );
      socket.once("error", reject);
      return;
    }
    const socket = connectTcp({ host: target.host, port: target.port, ...local }, () => resolve(socket));
    socket.once("error", reject);
  });
}

/**
 * Splits a syslog byte stream (TCP, TLS) into messages, per RFC 6587 §3.4: octet counting
 * (`LEN SP MSG`, the only framing RFC 5425 allows over TLS) or, for senders that do not count,
 * non-transparent framing with LF as the trailer. The method is chosen per frame by its first byte,
 * a digit or `<`, as RFC 6587 §3.4.2 suggests for receivers.
 */

export class SyslogFrameError extends Error {
  override readonly name = "SyslogFrameError";
}

export interface SyslogFrames {
  /** Adds bytes; returns the messages they completed. Throws SyslogFrameError on a broken stream. */
  push(chunk: Buffer): string[];
  /** The stream ended: a last LF-framed message without its trailer still counts. */
  end(): string[];
}

const SPACE = 0x20;
const LF = 0x0a;
const LESS_THAN = 0x3c;
const BOM = "\uFEFF";

export function syslogFrames(maxMessageBytes: number): SyslogFrames {
  let buffer: Buffer = Buffer.alloc(0);
  const maxLengthDigits = String(maxMessageBytes).length;
  const text = (bytes: Buffer) => {
    const decoded = bytes.toString("utf8");
    return decoded.startsWith(BOM) ? decoded.slice(1) : decoded;
  };

  const next = (): string | undefined => {
    const first = buffer[0];
    if (first === undefined) return undefined;
    if (first === LF) {
      buffer = buffer.subarray(1); // an empty line between LF-framed messages
      return next();
    }
    if (first >= 0x31 && first <= 0x39) {
      const space = buffer.indexOf(SPACE);
      if (space < 0) {
        if (buffer.length > maxLengthDigits) throw new SyslogFrameError("octet count without a space");
        return undefined;
      }
      const digits = buffer.subarray(0, space).toString("ascii");
      if (!/^[1-9][0-9]*$/.test(digits)) throw new SyslogFrameError(`bad octet count "${digits}"`);
      const length = Number(digits);
      if (length > maxMessageBytes)
        throw new SyslogFrameError(`message of ${length} bytes exceeds the limit of ${maxMessageBytes}`);
      if (buffer.length < space + 1 + length) return undefined;
      const message = buffer.subarray(space + 1, space + 1 + length);
      buffer = buffer.subarray(space + 1 + length);
      return text(message);
    }
    if (first === LESS_THAN) {
      const end = buffer.indexOf(LF);
      if (end < 0) {
        if (buffer.length > maxMessageBytes)
          throw new SyslogFrameError(
            `message without a trailer exceeds the limit of ${maxMessageBytes} bytes`,
          );
        return undefined;
      }
      const message = buffer.subarray(0, end);
      buffer = buffer.subarray(end + 1);
      return text(message).replace(/\r$/, "");
    }
    throw new SyslogFrameError("a frame starts with neither an octet count nor <PRI>");
  };

  const drain = (): string[] => {
    const messages: string[] = [];
    for (let message = next(); message !== undefined; message = next()) messages.push(message);
    return messages;
  };

  return {
    push(chunk) {
      buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
      return drain();
    },
    end() {
      const messages = drain();
      if (buffer.length > 0 && buffer[0] === LESS_THAN) messages.push(text(buffer));
      buffer = Buffer.alloc(0);
      return messages;
    },
  };
}

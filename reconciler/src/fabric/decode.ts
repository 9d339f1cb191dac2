/** Decodes a repo file as UTF-8, or says where the first byte that is not UTF-8 is. */

export type DecodeResult =
  | { ok: true; text: string }
  | { ok: false; line: number; col: number; byte: number; offset: number; isUtf16: boolean };

const strict = new TextDecoder("utf-8", { fatal: true });

export function decodeUtf8(content: Uint8Array | string): DecodeResult {
  if (typeof content === "string") return { ok: true, text: content };
  try {
    return { ok: true, text: strict.decode(content) };
  } catch {
    const offset = firstInvalidByte(content);
    const before = content.subarray(0, offset);
    const lineStart = before.lastIndexOf(0x0a) + 1;
    let line = 1;
    for (const byte of before) if (byte === 0x0a) line++;
    // The column counts characters, as editors do; the prefix of the line is valid UTF-8 by construction.
    const col = strict.decode(content.subarray(lineStart, offset)).length + 1;
    const isUtf16 =
      (content[0] === 0xff && content[1] === 0xfe) || (content[0] === 0xfe && content[1] === 0xff);
    return { ok: false, line, col, byte: content[offset] ?? 0, offset, isUtf16 };
  }
}

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidByte(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i]!;
    let length: number;
    let min = 0x80;
    let max = 0xbf;
    if (b0 < 0x80) length = 1;
    else if (b0 >= 0xc2 && b0 <= 0xdf) length = 2;
    else if (b0 >= 0xe0 && b0 <= 0xef) {
      length = 3;
      if (b0 === 0xe0) min = 0xa0; // overlong
      if (b0 === 0xed) max = 0x9f; // surrogates
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      length = 4;
      if (b0 === 0xf0) min = 0x90; // overlong
      if (b0 === 0xf4) max = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k < length; k++) {
      const b = bytes[i + k];
      const lo = k === 1 ? min : 0x80;
      const hi = k === 1 ? max : 0xbf;
      if (b === undefined || b < lo || b > hi) return i;
    }
    i += length;
  }
  return bytes.length;
}

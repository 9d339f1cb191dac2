import { describe, expect, it } from "vitest";
import { SyslogFrameError, syslogFrames } from "../../../reconciler/src/events/index.ts";

const bytes = (text: string) => Buffer.from(text, "utf8");

describe("syslogFrames (RFC 6587)", () => {
  it("splits octet-counted frames, counting bytes not characters", () => {
    const frames = syslogFrames(8192);
    const message = "<13>1 - leaf1 app - - - café"; // é is two bytes
    const length = Buffer.byteLength(message);
    expect(frames.push(bytes(`${length} ${message}${length} ${message}`))).toEqual([message, message]);
  });

  it("waits for the rest of a frame split across chunks", () => {
    const frames = syslogFrames(8192);
    const message = "<13>1 - leaf1 app - - - hello";
    const wire = bytes(`${message.length} ${message}`);
    expect(frames.push(wire.subarray(0, 1))).toEqual([]);
    expect(frames.push(wire.subarray(1, 10))).toEqual([]);
    expect(frames.push(wire.subarray(10))).toEqual([message]);
  });

  it("splits LF-terminated frames and keeps a last one without its trailer at the end", () => {
    const frames = syslogFrames(8192);
    expect(frames.push(bytes("<13>a: one\r\n<13>a: two\n\n<13>a: th"))).toEqual(["<13>a: one", "<13>a: two"]);
    expect(frames.push(bytes("ree"))).toEqual([]);
    expect(frames.end()).toEqual(["<13>a: three"]);
  });

  it("removes a BOM at the start of a message", () => {
    const frames = syslogFrames(8192);
    const message = "\uFEFF<13>1 - - - - - - x";
    expect(frames.push(bytes(`${Buffer.byteLength(message)} ${message}`))).toEqual(["<13>1 - - - - - - x"]);
  });

  it.each([
    ["an octet count over the limit", "9000 <13>x", /exceeds the limit/],
    ["an octet count with letters", "12a <13>x", /bad octet count/],
    ["digits without a space", "123456789", /without a space/],
    ["a frame that starts with anything else", "hello\n", /neither an octet count nor <PRI>/],
  ])("refuses %s", (_name, wire, reason) => {
    const frames = syslogFrames(8192);
    expect(() => frames.push(bytes(wire))).toThrow(SyslogFrameError);
    expect(() => syslogFrames(8192).push(bytes(wire))).toThrow(reason);
  });

  it("refuses an LF-framed message that grows past the limit without a trailer", () => {
    const frames = syslogFrames(16);
    expect(() => frames.push(bytes(`<13>${"x".repeat(20)}`))).toThrow(/without a trailer exceeds/);
  });
});

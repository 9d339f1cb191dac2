import { describe, expect, it } from "vitest";
import { parseSyslog } from "../../../reconciler/src/events/index.ts";

describe("parseSyslog", () => {
  it.each([
    {
      name: "an EOS message in RFC 5424",
      line: "<189>1 2026-12-02T06:50:00.000Z leaf3 Bgp - - - %BGP-3-NOTIFICATION: sent to neighbor 192.0.2.2",
      event: {
        format: "rfc5424",
        severity: 5,
        facility: 23,
        timestamp: "2026-12-02T06:50:00.000Z",
        host: "leaf3",
        app: "Bgp",
        message: "%BGP-3-NOTIFICATION: sent to neighbor 192.0.2.2",
      },
    },
    {
      name: "a JUNOS kernel message in RFC 3164",
      line: "<30>Mar  9 19:41:31 router1 kernel: tcp_auth_ok: Packet from 212.23.38.1:60042 unexpectedly has MD5 digest",
      event: {
        format: "rfc3164",
        severity: 6,
        facility: 3,
        host: "router1",
        app: "kernel",
        message: "tcp_auth_ok: Packet from 212.23.38.1:60042 unexpectedly has MD5 digest",
      },
    },
    {
      name: "RFC 5424 with structured data and a BOM before the message",
      line: '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3"] \uFEFFAn application event',
      event: {
        format: "rfc5424",
        severity: 5,
        facility: 20,
        timestamp: "2003-10-11T22:14:15.003Z",
        host: "mymachine.example.com",
        app: "evntslog",
        message: "An application event",
      },
    },
  ])("reads $name", ({ line, event }) => {
    const result = parseSyslog(line);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.event).toMatchObject(event);
    if (event.format === "rfc3164") expect(result.event.timestamp).toMatch(/-03-09T19:41:31/);
  });

  it("drops the NILVALUE host and app of RFC 5424", () => {
    const result = parseSyslog("<13>1 - - - - - - hello");
    expect(result).toEqual({
      ok: true,
      event: { format: "rfc5424", severity: 5, facility: 1, message: "hello" },
    });
  });

  it.each([
    ["a line without <PRI>", "garbage without pri", /no <PRI>/],
    ["a PRI over 191", "<999>Dec  2 06:50:00 leaf3 Bgp: x", /PRI|header/],
    ["a PRI that is not a number", "<abc>Dec  2 06:50:00 leaf3 x: y", /PRI/],
    ["a truncated RFC 5424 header", "<13>1 bogus", /header/],
    ["a PRI and nothing else", "<30>", /header/],
    ["a header of neither format", "<30>tcp_auth_ok: Packet from", /neither/],
    ["an empty RFC 5424 message", "<13>1 - - - - - -", /empty/],
    ["control characters in the message", "<30>Dec  2 06:50:00 leaf3 Bgp: line\u0000two", /control/],
    ["an embedded newline", "<30>Dec  2 06:50:00 leaf3 Bgp: line\nsecond", /control/],
    ["binary", "\u0000\u0001binary", /no <PRI>/],
  ])("refuses %s with the reason", (_name, line, reason) => {
    const result = parseSyslog(line);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

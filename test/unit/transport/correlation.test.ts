import { describe, expect, it } from "vitest";
import { Exchange } from "../../../reconciler/src/transport/correlation.ts";
import { replyError } from "../../../reconciler/src/transport/index.ts";

const HOST = "Hostname: leaf1\nFQDN:     leaf1";

describe("Exchange", () => {
  it.each([
    {
      name: "completes on the last message's thread",
      threads: ["a", "b"],
      replies: [
        ["% Invalid input (at token 0: 'x')", "a"],
        [`diff\n${HOST}`, "b"],
      ] as [string, string?][],
      complete: [false, true],
      text: "% Invalid input (at token 0: 'x')\ndiff",
    },
    {
      name: "without threads, completes on the terminator's output",
      threads: ["a", "b", "c"],
      replies: [["% Incomplete command"], [HOST]] as [string, string?][],
      complete: [false, true],
      text: "% Incomplete command",
    },
    {
      name: "a single message completes on its only reply",
      threads: ["a"],
      replies: [["anything"]] as [string, string?][],
      complete: [true],
      text: "anything",
    },
  ])("$name", ({ threads, replies, complete, text }) => {
    const ex = new Exchange("leaf1", threads, true);
    expect(replies.map(([t, th]) => ex.add(t, th))).toEqual(complete);
    expect(ex.text).toBe(text);
  });
});

describe("replyError", () => {
  it.each([
    { text: "hostname leaf1", code: undefined },
    { text: "% Warning: something", code: undefined },
    { text: "ok\n% Invalid input (at token 1: 'foo')", code: "command-error" },
    { text: "% Invalid input (privileged mode required)", code: "not-authorized" },
    { text: "% Authorization denied: x may not run commands", code: "not-authorized" },
    { text: "% Maximum number of pending sessions has been reached", code: "command-error" },
  ])("$text → $code", ({ text, code }) => {
    expect(replyError("leaf1", text)?.code).toBe(code);
  });
});

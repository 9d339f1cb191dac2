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
    const ex = new Exchange("leaf1", threads, { terminated: true });
    expect(replies.map(([t, th]) => ex.add(t, th))).toEqual(
      complete.map((c) => (c ? "complete" : "partial")),
    );
    expect(ex.text).toBe(text);
  });

  it("stops taking a reply once it grows past the bound, counting bytes, not characters", () => {
    const ex = new Exchange("leaf1", ["a", "b", "c"], { maxBytes: 9 });
    expect(ex.add("ééé", "a")).toBe("partial"); // 3 characters, 6 bytes
    expect(ex.add("éé", "b")).toBe("too-large"); // 6 + 4 bytes > 9
    expect(ex.text).toBe("ééé");
  });

  it("binds to the session it was sent to, or to the first that answers, and refuses any other", () => {
    const sent = new Exchange("leaf1", ["a"], { boundTo: "leaf1@lab/eos" });
    expect(sent.bind("leaf1@lab/rogue")).toBe(false);
    expect(sent.bind("leaf1@lab/eos")).toBe(true);
    const bare = new Exchange("leaf1", ["a"]);
    expect(bare.bind("leaf1@lab/eos")).toBe(true);
    expect(bare.bind("leaf1@lab/rogue")).toBe(false);
    expect(bare.boundTo).toBe("leaf1@lab/eos");
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

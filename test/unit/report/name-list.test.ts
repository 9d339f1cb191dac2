import { describe, expect, it } from "vitest";
import { countedNames, problemSummary, someNames } from "../../../reconciler/src/report/name-list.ts";

const names = (n: number) => Array.from({ length: n }, (_, i) => `sw${i + 1}`);

describe("messages that name many switches", () => {
  it("names a few switches in full and counts the rest", () => {
    expect(someNames([])).toBe("none");
    expect(someNames(["a"])).toBe("a");
    expect(someNames(["a", "b", "c"])).toBe("a, b and c");
    expect(someNames(names(5))).toBe("sw1, sw2, sw3, sw4 and sw5");
    expect(someNames(names(800))).toBe("sw1, sw2, sw3, sw4, sw5 and 795 more");
    expect(countedNames(names(1200))).toBe("1,200 switches (sw1, sw2, sw3, sw4, sw5 and 1195 more)");
    expect(countedNames(["leaf1"])).toBe("1 switch (leaf1)");
  });

  it("groups problems by kind, the biggest group first, with one example reason each", () => {
    const problems = [
      ...names(800).map((device) => ({
        device,
        kind: "timeout",
        reason: `${device}: no reply within 60000 ms`,
      })),
      { device: "leaf9", kind: "offline", reason: "presence says unavailable" },
    ];
    const text = problemSummary(problems);
    expect(text).toBe(
      "timeout ×800 (sw1, sw2, sw3, sw4, sw5 and 795 more; e.g. sw1: no reply within 60000 ms); offline: leaf9: presence says unavailable",
    );
    expect(text.length).toBeLessThan(200);
  });
});

import { describe, expect, it } from "vitest";
import { renderPlanText, styleFor } from "../../../reconciler/src/report/text.ts";
import { planFor } from "../../integration/github/fixtures.ts";

const SHA = "a".repeat(40);
const plain = styleFor(false);

describe("counts in text reports", () => {
  it.each([
    { changed: 0, line: "  1 switch: 0 to change, 1 in sync" },
    { changed: 1, line: "  2 switches: 1 to change, 1 in sync" },
  ])("says $line", ({ changed, line }) => {
    const text = renderPlanText(planFor(SHA, changed), plain, (t) => t);
    expect(text).toContain(line);
    expect(text).not.toMatch(/\b1 switches\b/);
  });
});

import { describe, expect, it } from "vitest";
import type { FabricError } from "../../../reconciler/src/fabric/types.ts";
import { renderStepSummary, STEP_SUMMARY_BUDGET } from "../../../reconciler/src/report/step-summary.ts";

const redact = (text: string) => text;
const error = (i: number): FabricError => ({
  code: "unknown-group",
  message: `device leaf${i} names group "leavs" | typo`,
  hint: "use one of: leaves, spines",
  position: { file: `devices/leaf${i}.yaml`, line: 3, col: 5 },
});

describe("renderStepSummary", () => {
  it("lists every validation error with file:line:col, code and fix, and says the gate failed", () => {
    const md = renderStepSummary(
      { errors: [error(1), error(2)], failure: "2 validation errors" },
      { redact },
    );
    expect(md).toContain("## Reconciler gate: failed");
    expect(md).toContain("> 2 validation errors");
    expect(md).toContain("#### 2 input errors");
    expect(md).toContain(
      '| `devices/leaf1.yaml:3:5` | `unknown-group` | device leaf1 names group "leavs" \\| typo | use one of: leaves, spines |',
    );
  });

  it("keeps under the 1 MiB summary limit with 50,000 errors", () => {
    const errors = Array.from({ length: 50_000 }, (_, i) => error(i));
    const md = renderStepSummary({ errors, failure: "invalid" }, { redact });
    expect(Buffer.byteLength(md, "utf8")).toBeLessThan(1024 * 1024);
    expect(md.length).toBeLessThanOrEqual(STEP_SUMMARY_BUDGET + 1);
    expect(md).toContain("more errors not shown to stay under the 1 MiB job summary limit");
  });

  it("says the gate passed when there is nothing wrong", () => {
    expect(renderStepSummary({}, { redact })).toBe("## Reconciler gate: passed\n");
  });
});

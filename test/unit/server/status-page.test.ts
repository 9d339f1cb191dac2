import { describe, expect, it } from "vitest";
import { recentRuns } from "../../../reconciler/src/server/recent-runs.ts";
import { renderRunPage, renderStatusPage } from "../../../reconciler/src/server/status-page.ts";

describe("status page", () => {
  it("escapes everything a run carries (a PR can name its branch <script>)", () => {
    const runs = recentRuns();
    runs.start({ id: "r1", kind: "plan", trigger: "pull-request", pullNumber: 3, sha: "a".repeat(40) });
    runs.finish("r1", {
      outcome: "changes",
      summary: "<script>alert(1)</script>",
      report: "description <b>x</b> & y",
    });
    const list = renderStatusPage({ repo: "o/r", branch: "main", runs: runs.list() });
    expect(list).not.toContain("<script>alert");
    expect(list).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(list).toContain('<a href="runs/r1">r1</a>');
    const run = renderRunPage(runs.get("r1")!);
    expect(run).toContain("description &lt;b&gt;x&lt;/b&gt; &amp; y");
  });

  it("keeps only the newest runs", () => {
    const runs = recentRuns(2);
    for (const id of ["a", "b", "c"]) runs.start({ id, kind: "drift", trigger: "schedule" });
    expect(runs.list().map((r) => r.id)).toEqual(["c", "b"]);
    expect(runs.get("a")).toBeUndefined();
  });
});

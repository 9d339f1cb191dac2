import { describe, expect, it } from "vitest";
import { recentRuns } from "../../../reconciler/src/server/recent-runs.ts";
import { createFabricStatus, type SwitchStatus } from "../../../reconciler/src/status/index.ts";
import {
  renderFabricPage,
  renderRunPage,
  renderSectionPage,
  renderSwitchPage,
} from "../../../reconciler/src/status-page/index.ts";

// What anyone who can open a PR or write a commit message could put in front of the page.
const HOSTILE = [
  `<script>alert(1)</script>`,
  `"><img src=x onerror=alert(2)>`,
  `'><svg onload=alert(3)>`,
  `</pre><iframe src=javascript:alert(4)>`,
];

function hostileSwitch(): SwitchStatus {
  return {
    device: "leaf1",
    groups: ["leaf", HOSTILE[1]!],
    state: "drifted",
    reason: HOSTILE[0],
    driftSince: "2026-12-01T09:00:00.000Z",
    lines: 2,
    sections: [{ section: "interface", lines: 2, diff: `-   description ok\n+   description ${HOSTILE[3]}` }],
    diff: `-   description ok\n+   description ${HOSTILE[3]}`,
    remediation: ["interface Ethernet1", `   description ${HOSTILE[2]}`],
    presence: "online",
    framing: HOSTILE[2],
    pending: [
      { pullNumber: 5, title: HOSTILE[1], sha: "b".repeat(40), lines: 3, at: "2026-12-01T09:00:00Z" },
    ],
    changedBy: [
      { runId: HOSTILE[0]!, sha: "c".repeat(40), at: "2026-12-01T08:00:00Z", url: "javascript:alert(5)" },
    ],
    history: [
      { at: "2026-12-01T09:00:00Z", runId: "r<1>", kind: "drift", outcome: "drifted", detail: HOSTILE[1] },
    ],
  };
}

/** No hostile string survives as markup: no tag it opens, no attribute it breaks out of. */
function expectInert(html: string): void {
  expect(html).not.toMatch(/<script>alert|<img |<svg |<iframe |onerror=alert\(2\)>|href="javascript:/);
  for (const text of HOSTILE) expect(html).not.toContain(text);
}

describe("status pages", () => {
  it("escape PR titles, commit messages, descriptions and reasons on every page", () => {
    const status = createFabricStatus({
      repo: "o/r",
      branch: "main",
      saved: {
        version: 1,
        fabric: HOSTILE[0],
        sections: ["interface", HOSTILE[1]!],
        switches: [hostileSwitch()],
      },
    });
    const runs = recentRuns();
    runs.start({ id: "r1", kind: "plan", trigger: "pull-request", pullNumber: 3, sha: "a".repeat(40) });
    runs.finish("r1", {
      outcome: "changes",
      summary: HOSTILE[0],
      report: `Merge "${HOSTILE[1]}"`,
      devices: ["leaf1"],
    });
    const fabricPage = renderFabricPage(status.view(), { q: HOSTILE[1] }, runs.list());
    const fabricAll = renderFabricPage(status.view(), {}, runs.list());
    const switchPage = renderSwitchPage(status.switchStatus("leaf1")!, status.view().sections);
    const sectionPage = renderSectionPage(status.switchStatus("leaf1")!, "interface");
    const runPage = renderRunPage(runs.get("r1")!);
    for (const html of [fabricPage, fabricAll, switchPage, sectionPage, runPage]) expectInert(html);
    expect(fabricAll).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(switchPage).toContain("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;");
    expect(switchPage).toContain('href="#"');
    expect(runPage).toContain('<a href="../switches/leaf1">leaf1</a>');
  });

  it("lists switches by group with state, matrix cells linking to the section diff, and the counts", () => {
    const status = createFabricStatus({
      repo: "o/r",
      branch: "main",
      saved: {
        version: 1,
        sections: ["interface", "ntp"],
        switches: [
          hostileSwitch(),
          {
            ...hostileSwitch(),
            device: "spine1",
            groups: ["spine"],
            state: "in-sync",
            sections: [],
            lines: 0,
            pending: [],
          },
          {
            ...hostileSwitch(),
            device: "spine2",
            groups: ["spine"],
            state: "unreachable",
            sections: [],
            reason: "offline",
          },
        ],
      },
    });
    const html = renderFabricPage(status.view(), {}, []);
    expect(html).toContain("<caption>Group leaf</caption>");
    expect(html).toContain("<caption>Group spine</caption>");
    expect(html).toContain('<li data-count="drifted"><b>1</b>drifted</li>');
    expect(html).toContain('<li data-count="unreachable"><b>1</b>unreachable</li>');
    expect(html).toContain('href="switches/leaf1/sections/interface"');
    expect(html).toMatch(
      /<tr data-device="spine1"><th scope="row">.*?<td class="cell-ok" data-section="ntp">/,
    );
    expect(html).toMatch(
      /<tr data-device="spine2"><th scope="row">.*?<td class="cell-none" data-section="interface">–<span class="sr">unreachable/,
    );
    const onlySpines = renderFabricPage(status.view(), { group: "spine" }, []);
    expect(onlySpines).not.toContain("<caption>Group leaf</caption>");
    const onlyDrifted = renderFabricPage(status.view(), { state: "drifted" }, []);
    expect(onlyDrifted).not.toContain('data-device="spine1"');
  });

  it("shows which PR holds the fabric, its revision, who applied it, since when, and the applies waiting", () => {
    const status = createFabricStatus({ repo: "o/r", branch: "main" });
    status.observeHold({
      pullNumber: 10,
      sha: "1".repeat(40),
      by: HOSTILE[0]!,
      runId: "r<1>",
      since: "2026-12-02T10:00:00.000Z",
      deferred: { shas: ["2".repeat(40)], pulls: [11], since: "2026-12-02T11:00:00.000Z" },
    });
    const html = renderFabricPage(status.view(), {}, recentRuns().list());
    expectInert(html);
    const panel = html.slice(html.indexOf('<section id="hold"'), html.indexOf("</section>") + 10);
    expect(panel).toContain("Fabric held by PR #10</h2>");
    expect(panel).toContain("<dt>Applied revision</dt><dd><code>1111111111</code></dd>");
    expect(panel).toContain('<dt>Since</dt><dd><time datetime="2026-12-02T10:00:00.000Z">');
    expect(panel).toContain('href="runs/r%3C1%3E"');
    expect(panel).toContain(
      'Applies of <code>main</code> waiting since <time datetime="2026-12-02T11:00:00.000Z">2026-12-02 11:00:00Z</time>: <code>2222222222</code>; merged meanwhile: PR #11.',
    );
    status.observeHold({ ...status.view().hold!, deferred: undefined });
    expect(renderFabricPage(status.view(), {}, [])).toContain("No apply of <code>main</code> is waiting.");
    status.observeHold(undefined);
    expect(renderFabricPage(status.view(), {}, [])).not.toContain('id="hold"');
  });
});

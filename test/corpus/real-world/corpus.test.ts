/**
 * Every pair of the real-world corpus, judged by the simulator (judge.ts). A pair that is not right is
 * listed, with its verdict and reason, in exceptions.json: the test fails when a pair's verdict differs
 * from that file, so the list can only shrink on purpose. Rewrite it after a fix with
 * `UPDATE_CORPUS_EXCEPTIONS=1 npx vitest run test/corpus/real-world`.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { configText, judgePair, loadPairs } from "./judge.ts";

const EXCEPTIONS = join(dirname(fileURLToPath(import.meta.url)), "exceptions.json");

interface Exception {
  id: string;
  kind: string;
  reason: string;
}

describe("the real-world corpus (AVD's published configs), judged on the simulator", () => {
  it("brings every pair's switch to intended, with nothing left to do after", () => {
    const pairs = loadPairs();
    expect(pairs.length).toBeGreaterThan(400);
    const exceptions: Exception[] = [];
    let right = 0;
    for (const pair of pairs) {
      const verdict = judgePair(configText(pair.running), configText(pair.intended));
      if (verdict.kind === "right") right++;
      else exceptions.push({ id: pair.id, kind: verdict.kind, reason: verdict.reason });
    }
    const byKind = new Map<string, number>();
    for (const e of exceptions) byKind.set(e.kind, (byKind.get(e.kind) ?? 0) + 1);
    console.log(
      `${pairs.length} pairs: ${right} right${[...byKind].map(([kind, n]) => `, ${n} ${kind}`).join("")}`,
    );
    for (const e of exceptions) console.log(`  ${e.id} ${e.kind}: ${e.reason}`);
    if (process.env.UPDATE_CORPUS_EXCEPTIONS) {
      writeFileSync(EXCEPTIONS, `${JSON.stringify(exceptions, null, 1)}\n`);
    }
    const listed = JSON.parse(readFileSync(EXCEPTIONS, "utf8")) as Exception[];
    expect(exceptions).toEqual(listed);
    expect(exceptions.filter((e) => e.kind === "parse-error")).toEqual([]);
  });
});

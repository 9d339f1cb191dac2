/**
 * `show session-config diffs`: a unified diff of running vs the session, with exactly the headers EOS
 * prints (`--- system:/running-config`, `+++ session:/NAME-session-config`, eos-xmpp.md §3.3); empty when
 * the session changes nothing.
 *
 * A line diff of its own (Myers' O(ND) algorithm on the lines, after the common head and tail are
 * set aside), not jsdiff's: every switch of a simulated fleet answers this on the bench's shared cores,
 * and jsdiff's general-purpose diff cost the fleet ~1 ms per switch (issue 14). Hunks follow jsdiff's
 * structuredPatch with 3 lines of context, as before.
 */
import { structuredPatch } from "diff";

const CONTEXT = 3;
/** Beyond this many edits Myers' trace grows large: such sessions (a whole new config) take jsdiff's path. */
const MAX_EDITS = 2_000;

type Op = " " | "-" | "+";

export function sessionDiff(session: string, running: string, candidate: string): string {
  if (running === candidate) return "";
  const out = ["--- system:/running-config", `+++ session:/${session}-session-config`];
  const hunks = lineHunks(running, candidate) ?? jsdiffHunks(running, candidate);
  for (const h of hunks) {
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`);
    out.push(...h.lines);
  }
  return out.join("\n");
}

interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

function jsdiffHunks(running: string, candidate: string): Hunk[] {
  const patch = structuredPatch("running", "session", running, candidate, "", "", { context: CONTEXT });
  return patch.hunks.map((h) => ({ ...h, lines: h.lines.filter((l) => !l.startsWith("\\")) }));
}

/** The hunks, or undefined where the texts differ too much (or in their final newline) for this path. */
function lineHunks(running: string, candidate: string): Hunk[] | undefined {
  if (running.endsWith("\n") !== candidate.endsWith("\n")) return undefined;
  const a = running.split("\n");
  const b = candidate.split("\n");
  if (running.endsWith("\n")) {
    a.pop();
    b.pop();
  }
  const ops = editScript(a, b);
  return ops && toHunks(ops, a, b);
}

/** One op per line of the edit script, in order; `-` before `+` where both meet (as jsdiff). */
function editScript(a: string[], b: string[]): Op[] | undefined {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (
    tail < a.length - head &&
    tail < b.length - head &&
    a[a.length - 1 - tail] === b[b.length - 1 - tail]
  )
    tail++;
  const middle = myers(a.slice(head, a.length - tail), b.slice(head, b.length - tail));
  if (!middle) return undefined;
  return [...Array<Op>(head).fill(" "), ...middle, ...Array<Op>(tail).fill(" ")];
}

/** Myers' greedy shortest edit script of x → y. */
function myers(x: string[], y: string[]): Op[] | undefined {
  const n = x.length;
  const m = y.length;
  const max = n + m;
  if (max === 0) return [];
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  /** trace[d]: the frontier d started from, diagonals -d … d (at index k + d). */
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= Math.min(max, MAX_EDITS); d++) {
    trace.push(v.slice(offset - d, offset + d + 1));
    for (let k = -d; k <= d; k += 2) {
      let i =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]! // down: insert y
          : v[offset + k - 1]! + 1; // right: delete x
      let j = i - k;
      while (i < n && j < m && x[i] === y[j]) {
        i++;
        j++;
      }
      v[offset + k] = i;
      if (i >= n && j >= m) {
        found = d;
        break;
      }
    }
    if (found >= 0) break;
  }
  if (found < 0) return undefined;
  // Walk back from (n, m) through the saved frontiers.
  const reversed: Op[] = [];
  let i = n;
  let j = m;
  for (let d = found; d > 0; d--) {
    const prev = trace[d]!;
    const k = i - j;
    const down = k === -d || (k !== d && prev[k - 1 + d]! < prev[k + 1 + d]!);
    const prevK = down ? k + 1 : k - 1;
    const prevI = prev[prevK + d]!;
    const prevJ = prevI - prevK;
    while (i > (down ? prevI : prevI + 1) && j > (down ? prevJ + 1 : prevJ)) {
      reversed.push(" ");
      i--;
      j--;
    }
    reversed.push(down ? "+" : "-");
    if (down) j--;
    else i--;
  }
  while (i > 0 && j > 0) {
    reversed.push(" ");
    i--;
    j--;
  }
  return orderedChanges(reversed.reverse());
}

/** Within each run of changes, the deletions first. */
function orderedChanges(ops: Op[]): Op[] {
  const out: Op[] = [];
  for (let i = 0; i < ops.length; ) {
    if (ops[i] === " ") {
      out.push(" ");
      i++;
      continue;
    }
    let minus = 0;
    let plus = 0;
    for (; i < ops.length && ops[i] !== " "; i++) {
      if (ops[i] === "-") minus++;
      else plus++;
    }
    for (let c = 0; c < minus; c++) out.push("-");
    for (let c = 0; c < plus; c++) out.push("+");
  }
  return out;
}

/** Hunks with CONTEXT lines around each change; changes closer than 2 × CONTEXT share a hunk. */
function toHunks(ops: Op[], a: string[], b: string[]): Hunk[] {
  const hunks: Hunk[] = [];
  let ai = 0;
  let bi = 0;
  let current: Hunk | undefined;
  for (let i = 0; i < ops.length; ) {
    if (ops[i] !== " ") {
      if (!current) {
        const before = Math.min(CONTEXT, ai, bi);
        current = {
          oldStart: ai + 1 - before,
          oldLines: 0,
          newStart: bi + 1 - before,
          newLines: 0,
          lines: a.slice(ai - before, ai).map((l) => ` ${l}`),
        };
        current.oldLines = current.newLines = before;
      }
      if (ops[i] === "-") {
        current.lines.push(`-${a[ai++]}`);
        current.oldLines++;
      } else {
        current.lines.push(`+${b[bi++]}`);
        current.newLines++;
      }
      i++;
      continue;
    }
    let run = 0;
    while (i + run < ops.length && ops[i + run] === " ") run++;
    const last = i + run >= ops.length;
    if (current) {
      const kept = !last && run <= 2 * CONTEXT ? run : Math.min(run, CONTEXT);
      current.lines.push(...a.slice(ai, ai + kept).map((l) => ` ${l}`));
      current.oldLines += kept;
      current.newLines += kept;
      if (kept !== run || last) {
        hunks.push(current);
        current = undefined;
      }
    }
    ai += run;
    bi += run;
    i += run;
  }
  if (current) hunks.push(current);
  return hunks;
}

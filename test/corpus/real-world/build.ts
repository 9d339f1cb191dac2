/**
 * Builds the real-world corpus from a bare git mirror of github.com/aristanetworks/avd:
 * the EOS configs its `eos_cli_config_gen` / `eos_designs` molecule scenarios and example fabrics
 * publish under `…/intended/configs/*.cfg`, paired across git history (version N = running,
 * N+1 = intended), plus day-0 → intended and intended → day-0 pairs.
 *
 *   npx tsx test/corpus/real-world/build.ts [/path/to/avd/git-dir]
 *
 * Output (committed): `configs/<sha>.cfg`, each distinct config once, and `pairs.json`. The selection
 * is deterministic (a hash of the blob ids), so a rebuild from the same mirror gives the same corpus.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { DAY0_CONFIG } from "./day0.ts";

const HERE = dirname(fileURLToPath(import.meta.url));
const MIRROR = process.argv[2] ?? "/work/.mirror/aristanetworks+avd/repo";
/** A config larger than this is left out (the corpus must stay small enough to commit). */
const MAX_CONFIG_BYTES = 32 * 1024;
/** History pairs per scenario folder, at most; the rest of the budget goes to the feature-rich ones. */
const CAPS: Record<string, number> = {
  "molecule/eos_cli_config_gen": 140,
  "molecule/eos_designs_unit_tests": 40,
  default: 5,
};
/** Configs (the newest version of each path) that also get day-0 → intended and intended → day-0 pairs. */
const DAY0_PER_FOLDER = 2;
const PATHSPECS = [
  "ansible_collections/arista/avd/molecule/*/intended/configs/*.cfg",
  "ansible_collections/arista/avd/examples/*/intended/configs/*.cfg",
];

export interface CorpusPair {
  id: string;
  kind: "history" | "day0-to-intended" | "intended-to-day0";
  /** Path in the AVD repo, and the commit that made the intended version. */
  source: string;
  commit: string;
  running: string;
  intended: string;
}

function git(...args: string[]): string {
  return execFileSync("git", ["--git-dir", MIRROR, ...args], { encoding: "utf8", maxBuffer: 1 << 30 });
}

function hashOf(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}

function folderOf(path: string): string {
  const m = /ansible_collections\/arista\/avd\/((?:molecule|examples)\/[^/]+)\//.exec(path);
  return m ? m[1]! : path;
}

interface Change {
  commit: string;
  time: number;
  path: string;
  oldBlob: string;
  newBlob: string;
}

/** Every modification of a published config, newest first, from one `git log --raw`. */
function readChanges(): { changes: Change[]; newest: Map<string, { blob: string; commit: string }> } {
  const out = git("log", "--format=C %H %ct", "--raw", "--no-abbrev", "--no-renames", "--", ...PATHSPECS);
  const changes: Change[] = [];
  const newest = new Map<string, { blob: string; commit: string }>();
  let commit = "";
  let time = 0;
  for (const line of out.split("\n")) {
    if (line.startsWith("C ")) {
      [, commit, time] = line.split(" ").map((part, i) => (i === 2 ? Number(part) : part)) as [
        string,
        string,
        number,
      ];
      continue;
    }
    if (!line.startsWith(":")) continue;
    const [meta, path] = line.split("\t") as [string, string];
    const [, , oldBlob, newBlob, status] = meta.split(" ") as [string, string, string, string, string];
    if ((status === "A" || status === "M") && !newest.has(path)) newest.set(path, { blob: newBlob, commit });
    if (status === "M") changes.push({ commit, time, path, oldBlob, newBlob });
  }
  return { changes, newest };
}

function main(): void {
  const { changes, newest } = readChanges();
  const configs = new Map<string, string>();
  const blobText = new Map<string, string | undefined>();
  const textOf = (blob: string): string | undefined => {
    if (!blobText.has(blob)) {
      const text = git("cat-file", "blob", blob);
      blobText.set(blob, Buffer.byteLength(text) > MAX_CONFIG_BYTES ? undefined : text);
    }
    return blobText.get(blob);
  };
  const store = (text: string): string => {
    const id = hashOf(text);
    configs.set(id, text);
    return id;
  };

  // Deterministic spread over history: order each folder's changes by a hash of the blob pair.
  const byFolder = new Map<string, Change[]>();
  for (const change of changes) {
    const folder = folderOf(change.path);
    byFolder.set(folder, [...(byFolder.get(folder) ?? []), change]);
  }
  const pairs: CorpusPair[] = [];
  const seen = new Set<string>();
  for (const [folder, list] of [...byFolder].sort(([a], [b]) => a.localeCompare(b))) {
    const cap = CAPS[folder] ?? CAPS.default!;
    const ordered = [...list].sort((a, b) =>
      hashOf(a.oldBlob + a.newBlob).localeCompare(hashOf(b.oldBlob + b.newBlob)),
    );
    let taken = 0;
    for (const change of ordered) {
      if (taken >= cap) break;
      const running = textOf(change.oldBlob);
      const intended = textOf(change.newBlob);
      if (running === undefined || intended === undefined) continue;
      const runningId = store(running);
      const intendedId = store(intended);
      const key = `${runningId}>${intendedId}`;
      if (runningId === intendedId || seen.has(key)) continue;
      seen.add(key);
      pairs.push({
        id: `h-${hashOf(key).slice(0, 10)}`,
        kind: "history",
        source: change.path.replace("ansible_collections/arista/avd/", ""),
        commit: change.commit,
        running: runningId,
        intended: intendedId,
      });
      taken++;
    }
  }

  const day0 = store(DAY0_CONFIG);
  const newestByFolder = new Map<string, [string, { blob: string; commit: string }][]>();
  for (const entry of newest) {
    const folder = folderOf(entry[0]);
    newestByFolder.set(folder, [...(newestByFolder.get(folder) ?? []), entry]);
  }
  for (const [, entries] of [...newestByFolder].sort(([a], [b]) => a.localeCompare(b))) {
    const chosen = entries.sort(([a], [b]) => hashOf(a).localeCompare(hashOf(b))).slice(0, DAY0_PER_FOLDER);
    for (const [path, { blob, commit }] of chosen) {
      const text = textOf(blob);
      if (text === undefined) continue;
      const id = store(text);
      const source = path.replace("ansible_collections/arista/avd/", "");
      pairs.push({
        id: `d-${id.slice(0, 10)}`,
        kind: "day0-to-intended",
        source,
        commit,
        running: day0,
        intended: id,
      });
      pairs.push({
        id: `r-${id.slice(0, 10)}`,
        kind: "intended-to-day0",
        source,
        commit,
        running: id,
        intended: day0,
      });
    }
  }

  const configDir = join(HERE, "configs");
  rmSync(configDir, { recursive: true, force: true });
  mkdirSync(configDir, { recursive: true });
  const used = new Set(pairs.flatMap((p) => [p.running, p.intended]));
  for (const id of used) writeFileSync(join(configDir, `${id}.cfg`), configs.get(id)!);
  writeFileSync(join(HERE, "pairs.json"), `${JSON.stringify(pairs, null, 1)}\n`);
  const bytes = readdirSync(configDir).length;
  console.log(`${pairs.length} pairs, ${bytes} distinct configs written to ${HERE}`);
}

main();

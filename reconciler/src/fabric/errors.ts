import type { FabricError, SourcePosition } from "./types.ts";

/** Builds an input error; `hint` says how to fix it (STYLE: errors are values with a place). */
export function fabricError(
  code: string,
  position: SourcePosition,
  message: string,
  hint: string,
  extra: Partial<Pick<FabricError, "schemaPath">> = {},
): FabricError {
  return { code, message, hint, position, ...extra };
}

/** Position at the start of a file, for problems with the file as a whole. */
export function fileStart(file: string): SourcePosition {
  return { file, line: 1, col: 1 };
}

/** File, then line, then column, then code: the order an editor and a reviewer read them in. */
export function sortErrors(errors: FabricError[]): FabricError[] {
  return [...errors].sort(
    (a, b) =>
      a.position.file.localeCompare(b.position.file) ||
      a.position.line - b.position.line ||
      a.position.col - b.position.col ||
      a.code.localeCompare(b.code),
  );
}

/** Drops repeats of one error (same code, place and message), e.g. a group line that fails for every member. */
export function uniqueErrors(errors: FabricError[]): FabricError[] {
  const seen = new Set<string>();
  return errors.filter((error) => {
    const { file, line, col } = error.position;
    const key = `${error.code}\0${file}\0${line}\0${col}\0${error.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The closest candidate by edit distance, for "did you mean" hints; undefined when nothing is close. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(2, Math.floor(name.length / 3)) + 1;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** "a, b or c" for hints. */
export function listNames(names: string[], conjunction = "or"): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} ${conjunction} ${names.at(-1)}`;
}

/**
 * Equality of two configs inside the managed scope. EOS orders running-config itself, so siblings are
 * compared as a set keyed by setting; a multi-line value is compared line by line.
 */
import type { ManagedScope } from "../fabric/types.ts";
import { findNormal, type NormNode, normaliseTree, sameLines, sameRawChildren } from "./normalise.ts";
import { quoteLine } from "./redact.ts";
import { compileScope } from "./scope.ts";
import type { ConfigTree, ScopeComparison } from "./types.ts";

export function compareInScope(
  actual: ConfigTree,
  expected: ConfigTree,
  scope: ManagedScope,
): ScopeComparison {
  return compareNormalised(
    normaliseTree(actual, scope),
    normaliseTree(expected, scope),
    compileScope(scope).keepsUnlisted,
  );
}

/**
 * `kept`: top-level lines that actual may hold when expected lacks them (scope.keepUnlisted: what git
 * does not list is left as the switch has it, so it is no difference).
 */
export function compareNormalised(
  actual: NormNode[],
  expected: NormNode[],
  kept?: (topLevelText: string) => boolean,
): ScopeComparison {
  const firstDifference = differenceIn(actual, expected, [], kept);
  return firstDifference === undefined ? { equal: true } : { equal: false, firstDifference };
}

/** The first difference, or undefined. `path` is the chain of block headers above (pushed and popped). */
function differenceIn(
  actual: NormNode[],
  expected: NormNode[],
  path: string[],
  kept?: (topLevelText: string) => boolean,
): string | undefined {
  for (const want of expected) {
    const have = findNormal(actual, want.cls.key);
    if (!have) return `missing from actual: ${describe(path, want)}${at("expected", want)}`;
    if (have.text !== want.text) {
      return `differs: expected ${describe(path, want)}${at("expected", want)}, actual has ${quoteLine(have.text)}${at("actual", have)}`;
    }
    if (!sameBody(have, want)) return `differs: the text of ${describe(path, want)}${at("expected", want)}`;
    if (have.source && want.source && sameRawChildren(have.source, want.source)) continue;
    if (have.children.length > 0 || want.children.length > 0) {
      path.push(want.text);
      const inner = differenceIn(have.children, want.children, path);
      path.pop();
      if (inner !== undefined) return inner;
    }
  }
  // Keys are unique per level, so equal counts and every expected key present means no extras.
  if (actual.length !== expected.length) {
    const expectedKeys = new Set(expected.map((node) => node.cls.key));
    for (const have of actual) {
      if (expectedKeys.has(have.cls.key)) continue;
      if (path.length === 0 && kept?.(have.text)) continue;
      return `unexpected in actual: ${describe(path, have)}${at("actual", have)}`;
    }
  }
  return undefined;
}

export function sameBody(a: NormNode, b: NormNode): boolean {
  return sameLines(a.body, b.body);
}

/** A difference is shown to people (verification failures, drift reports): lines are redacted. */
function describe(path: string[], node: NormNode): string {
  return quoteLine([...path, node.text].join(" › "));
}

function at(which: string, node: NormNode): string {
  return node.line > 0 ? ` (${which} line ${node.line})` : "";
}

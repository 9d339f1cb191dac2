import { createTwoFilesPatch } from "diff";
import { type ConfigTree, redactSecrets, scopedText } from "../eos/index.ts";
import type { ManagedScope } from "../fabric/types.ts";

const natural = new Intl.Collator("en", { numeric: true });

/**
 * The managed scope as people read it in a diff: top-level sections in one fixed (natural) order and
 * secrets redacted. Switches and git may list sections in different orders; an order is not a
 * difference, so both sides of a diff are put in the same one.
 */
export function diffableText(tree: ConfigTree, scope: ManagedScope): string {
  const children = [...tree.children].sort((a, b) => natural.compare(a.text, b.text));
  return redactSecrets(scopedText({ ...tree, children }, scope));
}

/**
 * Unified diff of two managed-scope renderings, secrets already redacted by the caller. Used by plan
 * and drift reports; empty string when equal.
 */
export function managedDiff(
  device: string,
  fromText: string,
  toText: string,
  labels: [string, string],
): string {
  if (fromText === toText) return "";
  const patch = createTwoFilesPatch(
    `${device} (${labels[0]})`,
    `${device} (${labels[1]})`,
    ensureNewline(fromText),
    ensureNewline(toText),
    undefined,
    undefined,
    { context: 2 },
  );
  // Drop the "====" banner line createTwoFilesPatch puts first; keep the ---/+++ headers.
  return patch.replace(/^=+\n/, "");
}

function ensureNewline(text: string): string {
  return text.endsWith("\n") || text === "" ? text : `${text}\n`;
}

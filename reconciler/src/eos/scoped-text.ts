/** The managed part of a config, rendered in the form it is compared in (for unified diffs). */
import type { ManagedScope } from "../fabric/types.ts";
import { type NormalMemo, normaliseTree } from "./normalise.ts";
import { renderConfig } from "./render.ts";
import { compileScope } from "./scope.ts";
import type { ConfigNode, ConfigTree } from "./types.ts";

/** Managed sections only, ignored lines and hidden defaults dropped, spelled as EOS shows them. Not redacted. */
export function scopedText(tree: ConfigTree, scope: ManagedScope): string {
  return renderConfig({ children: normaliseTree(tree, scope) });
}

/** The top-level nodes scopedText renders, each with the line it was written as (for picking a section). */
export function scopedNodes(
  tree: ConfigTree,
  scope: ManagedScope,
  memo?: NormalMemo,
): { node: ConfigNode; written: string }[] {
  return normaliseTree(tree, scope, memo).map((node) => ({ node, written: node.source?.text ?? node.text }));
}

/**
 * `tree` without the top-level lines the switch keeps because `listed` lacks them (scope.keepUnlisted),
 * so that a diff shows only what the reconciler owns: an interface git does not list is no removal.
 */
export function withoutKeptUnlisted(tree: ConfigTree, listed: ConfigTree, scope: ManagedScope): ConfigTree {
  const { keepsUnlisted } = compileScope(scope);
  const names = new Set(listed.children.map((node) => node.text));
  const children = tree.children.filter((node) => names.has(node.text) || !keepsUnlisted(node.text));
  return children.length === tree.children.length ? tree : { ...tree, children };
}

/** The managed part of a config, rendered in the form it is compared in (for unified diffs). */
import type { ManagedScope } from "../fabric/types.ts";
import { normaliseTree } from "./normalise.ts";
import { renderConfig } from "./render.ts";
import type { ConfigTree } from "./types.ts";

/** Managed sections only, ignored lines and hidden defaults dropped, spelled as EOS shows them. Not redacted. */
export function scopedText(tree: ConfigTree, scope: ManagedScope): string {
  return renderConfig({ children: normaliseTree(tree, scope) });
}

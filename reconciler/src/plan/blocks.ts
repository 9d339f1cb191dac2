/**
 * A remediation script is a list of top-level blocks: a top-level command and its indented
 * children (with their explicit `exit`s). Blocks are the unit that group factoring shares, because a
 * block is self-contained: it enters its section, changes it and leaves it.
 */
export function splitBlocks(commands: string[]): string[][] {
  const blocks: string[][] = [];
  for (const line of commands) {
    const isTopLevel = !/^\s/.test(line) && !/^(exit|end)\s*$/.test(line);
    const current = blocks.at(-1);
    if (isTopLevel || current === undefined) blocks.push([line]);
    else current.push(line);
  }
  return blocks;
}

export function blockKey(block: string[]): string {
  return block.join("\n");
}

/**
 * Rosters written straight into Prosody's `internal` storage (the format mod_roster keeps): mutual
 * presence subscriptions between the reconciler and every switch, as they stand after the first
 * contact. The scale benchmark starts from there: the first contact of 2,000 switches costs Prosody
 * O(switches²) roster rewrites (each subscription change rewrites the reconciler's whole roster file),
 * once in a fabric's life, and it is measured on its own.
 */
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { encodePathPart } from "./accounts.ts";

/** `user`'s roster: each contact with subscription both, no pending requests. */
export async function writeRoster(
  dataDir: string,
  domain: string,
  user: string,
  contacts: string[],
): Promise<void> {
  const dir = join(dataDir, encodePathPart(domain), "roster");
  await mkdir(dir, { recursive: true });
  const items = contacts
    .map(
      (jid) => `\t[${JSON.stringify(jid)}] = {\n\t\t["subscription"] = "both";\n\t\t["groups"] = {};\n\t};\n`,
    )
    .join("");
  const text = `return {\n\t[false] = {\n\t\t["pending"] = {};\n\t\t["version"] = 1;\n\t};\n${items}};\n`;
  const file = join(dir, `${encodePathPart(user)}.dat`);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, file);
}

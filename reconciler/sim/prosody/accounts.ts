/**
 * Accounts written straight into Prosody's `internal` storage, in the format `prosodyctl register` writes
 * (mod_auth_internal_hashed: SCRAM-SHA-1 stored_key/server_key, hex). One account costs ~2 ms of PBKDF2
 * here against ~35-47 ms for a prosodyctl process; a running server reads the file on the next login.
 */
import { createHash, createHmac, pbkdf2, randomUUID } from "node:crypto";
import { mkdir, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const pbkdf2Async = promisify(pbkdf2);

/** Prosody's default_iteration_count (mod_auth_internal_hashed). */
const ITERATIONS = 10_000;

/** Prosody's datamanager encodes a host or user name for the file system: every char but [a-zA-Z0-9] as %xx. */
export function encodePathPart(part: string): string {
  return part.replace(/[^a-zA-Z0-9]/g, (ch) => `%${ch.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

export async function writeAccount(
  dataDir: string,
  domain: string,
  user: string,
  password: string,
): Promise<void> {
  if (!/^[a-z0-9._-]+$/.test(user)) throw new Error(`invalid XMPP user name ${JSON.stringify(user)}`);
  const salt = randomUUID();
  const salted = await pbkdf2Async(password, salt, ITERATIONS, 20, "sha1");
  const clientKey = createHmac("sha1", salted).update("Client Key").digest();
  const storedKey = createHash("sha1").update(clientKey).digest("hex");
  const serverKey = createHmac("sha1", salted).update("Server Key").digest("hex");
  const dir = join(dataDir, encodePathPart(domain), "accounts");
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${encodePathPart(user)}.dat`);
  const text = `return {
\t["server_key"] = "${serverKey}";
\t["iteration_count"] = ${ITERATIONS};
\t["salt"] = "${salt}";
\t["stored_key"] = "${storedKey}";
};
`;
  // write then rename, so a login racing the write never reads half a file
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, text, { mode: 0o600 });
  await rename(tmp, file);
}

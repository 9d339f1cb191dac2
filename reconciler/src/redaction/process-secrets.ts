import { closeSync, constants, fstatSync, openSync, readFileSync } from "node:fs";

/**
 * Names of environment variables that hold secrets: the reconciler's own (GITHUB_TOKEN,
 * RECONCILER_WEBHOOK_SECRET, GITHUB_APP_PRIVATE_KEY, RECONCILER_XMPP_PASSWORD), the variables an
 * `env:` reference names by convention (LEAF1_XMPP_PASSWORD) and a CI runner's own tokens.
 */
const SECRET_NAME = /(SECRET|TOKEN|PASSWORD|PASSWD|PRIVATE_KEY|PASSPHRASE|CREDENTIALS?|API_KEY)$/i;

/**
 * Every secret value the process's environment holds, for the redactor: each variable whose name says
 * it is a secret, and the content of each `<NAME>_FILE` such a variable names (the Docker/systemd
 * credentials convention readServiceSecrets follows). An unreadable file is skipped here; the code that
 * needs it reports it.
 */
export function secretsOfEnvironment(env: Readonly<Record<string, string | undefined>>): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (!value) continue;
    if (SECRET_NAME.test(name)) values.push(value);
    const file = /^(.*)_FILE$/.exec(name);
    if (file && SECRET_NAME.test(file[1]!)) {
      const text = regularFileText(value);
      if (text !== undefined) values.push(text);
    }
  }
  return values;
}

/** A regular file's text; undefined for anything else (a FIFO must not hang start-up) or on an error. */
function regularFileText(path: string): string | undefined {
  try {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      return fstatSync(fd).isFile() ? readFileSync(fd, "utf8") : undefined;
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined; // reported by whoever reads the secret
  }
}

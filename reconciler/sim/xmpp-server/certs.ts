/**
 * A throw-away CA and the certificates a test XMPP server (Prosody or ejabberd) needs, made with the openssl CLI (EC P-256: fast to
 * generate, fast handshakes). Recipe: shared/reference/xmpp-prosody.md "openssl".
 */
import { execFile } from "node:child_process";
import { access, chmod, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export interface CertPaths {
  caCert: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
}

/** XMPP address in a certificate: SAN otherName id-on-xmppAddr (RFC 6120 §13.7.1.4). */
const ID_ON_XMPPADDR = "1.3.6.1.5.5.7.8.5";

async function openssl(args: string[]): Promise<void> {
  try {
    await run("openssl", args);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === "ENOENT") throw new Error("openssl is not installed: apt-get install -y openssl");
    throw new Error(`openssl ${args[0]} failed: ${e.stderr ?? e.message}`);
  }
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];

async function signWithCa(
  dir: string,
  name: string,
  subject: string,
  extensions: string,
  days: number,
): Promise<{ cert: string; key: string }> {
  const key = join(dir, `${name}.key`);
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}.ext`);
  const cert = join(dir, `${name}.crt`);
  await openssl(["req", "-new", ...EC, "-keyout", key, "-out", csr, "-subj", subject]);
  await writeFile(ext, extensions);
  await openssl([
    "x509",
    "-req",
    "-in",
    csr,
    "-CA",
    join(dir, "ca.crt"),
    "-CAkey",
    join(dir, "ca.key"),
    "-CAcreateserial",
    "-out",
    cert,
    "-days",
    String(days),
    "-extfile",
    ext,
  ]);
  await chmod(key, 0o600);
  return { cert, key };
}

/** Creates (once per dir) a CA and a server certificate for `domain`, `*.domain`, localhost and 127.0.0.1. */
export async function ensureServerCerts(dir: string, domain: string): Promise<CertPaths> {
  await mkdir(dir, { recursive: true });
  const paths: CertPaths = {
    caCert: join(dir, "ca.crt"),
    caKey: join(dir, "ca.key"),
    serverCert: join(dir, "server.crt"),
    serverKey: join(dir, "server.key"),
  };
  if (await exists(paths.serverCert)) return paths;
  await openssl([
    "req",
    "-x509",
    "-new",
    ...EC,
    "-keyout",
    paths.caKey,
    "-out",
    paths.caCert,
    "-days",
    "3650",
    "-subj",
    "/CN=Fabric Test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await chmod(paths.caKey, 0o600);
  await signWithCa(
    dir,
    "server",
    `/CN=${domain}`,
    [
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "extendedKeyUsage=serverAuth",
      `subjectAltName=DNS:${domain},DNS:*.${domain},DNS:localhost,IP:127.0.0.1`,
      "",
    ].join("\n"),
    825,
  );
  return paths;
}

/** A client certificate for SASL EXTERNAL: id-on-xmppAddr = jid, EKU clientAuth, signed by the dir's CA. */
export async function issueClientCertificate(
  dir: string,
  jid: string,
): Promise<{ cert: string; key: string }> {
  if (!/^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+$/.test(jid)) throw new Error(`not a bare JID: ${jid}`);
  const name = `client-${jid.replace(/[^A-Za-z0-9._-]/g, "_")}`;
  return signWithCa(
    dir,
    name,
    `/CN=${jid}`,
    [
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=clientAuth",
      `subjectAltName=otherName:${ID_ON_XMPPADDR};UTF8:${jid}`,
      "",
    ].join("\n"),
    825,
  );
}

/**
 * A switch's certificate for TLS syslog (RFC 5425 §5.2): subject CN and a DNS subject alt name both
 * name the switch, EKU clientAuth, signed by the dir's CA.
 */
export async function issueSwitchCertificate(
  dir: string,
  name: string,
): Promise<{ cert: string; key: string }> {
  if (!/^[A-Za-z0-9.-]+$/.test(name)) throw new Error(`not a host name: ${name}`);
  return signWithCa(
    dir,
    `switch-${name}`,
    `/CN=${name}`,
    [
      "basicConstraints=CA:FALSE",
      "keyUsage=critical,digitalSignature",
      "extendedKeyUsage=clientAuth",
      `subjectAltName=DNS:${name}`,
      "",
    ].join("\n"),
    825,
  );
}

import { resolve } from "node:path";
import { type Command, Option } from "commander";
import type { TransportFlags } from "../transport/index.ts";
import type { CliContext } from "./context.ts";

/** The XMPP connection overrides (flag > environment > fabric.yaml), shared by every command that connects. */
export interface XmppOptions {
  xmppHost?: string;
  xmppPort?: string;
  xmppDomain?: string;
  xmppMuc?: string;
  xmppCa?: string;
  xmppJid?: string;
  secretsDir?: string;
}

/** Options every command that reads a fabric and talks to its switches shares. */
export interface FabricCommandOptions extends XmppOptions {
  rev?: string;
  branch?: string;
  stateDir?: string;
  json?: boolean;
  allowUnreachable?: boolean;
}

export function addXmppOptions(command: Command, { jid = true } = {}): Command {
  command
    .addOption(new Option("--xmpp-host <host>", "XMPP server address (env RECONCILER_XMPP_HOST)"))
    .addOption(new Option("--xmpp-port <port>", "XMPP server port (env RECONCILER_XMPP_PORT)"))
    .addOption(new Option("--xmpp-domain <domain>", "XMPP domain (env RECONCILER_XMPP_DOMAIN)"))
    .addOption(new Option("--xmpp-muc <service>", "group-room service (env RECONCILER_XMPP_MUC)"))
    .addOption(
      new Option("--xmpp-ca <file>", "CA file the server certificate must chain to (env RECONCILER_XMPP_CA)"),
    )
    .addOption(
      new Option(
        "--secrets-dir <dir>",
        "where relative file: secret references start (env RECONCILER_SECRETS_DIR); never the repo",
      ),
    );
  if (jid)
    command.addOption(new Option("--xmpp-jid <jid>", "the reconciler's JID (env RECONCILER_XMPP_JID)"));
  return command;
}

export function transportFlags(options: XmppOptions): TransportFlags {
  return {
    host: options.xmppHost,
    port: options.xmppPort,
    domain: options.xmppDomain,
    mucService: options.xmppMuc,
    caFile: options.xmppCa,
    jid: options.xmppJid,
  };
}

/** Where relative `file:` secret references start: the flag, else RECONCILER_SECRETS_DIR; absolute. */
export function secretsDirOf(options: XmppOptions, ctx: CliContext): string | undefined {
  const dir = options.secretsDir ?? (ctx.env.RECONCILER_SECRETS_DIR || undefined);
  return dir === undefined ? undefined : resolve(ctx.cwd, dir);
}

/** What every command that connects hands openFabricTransport besides the fabric: secrets' sources. */
export function secretOptions(options: XmppOptions, ctx: CliContext) {
  return { secretsDir: secretsDirOf(options, ctx), onSecret: (value: string) => ctx.redactor?.add(value) };
}

export function addFabricOptions(command: Command): Command {
  return addXmppOptions(
    command
      .argument("[repo]", "desired-state repo: a local path or a git URL", ".")
      .option("--rev <rev>", "git revision to read the desired state at (sha, branch or tag)")
      .option("--branch <branch>", "tracked branch of a remote repo", "main")
      .option("--state-dir <dir>", "where the journal, lock and repo cache live (env RECONCILER_STATE_DIR)")
      .option("--json", "print the result as JSON")
      .option(
        "--allow-unreachable",
        "go on when some switches cannot be reached (they are reported, not changed)",
      ),
  );
}

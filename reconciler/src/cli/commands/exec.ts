import type { Fabric } from "../../fabric/index.ts";
import type { GroupReply, TransportError } from "../../transport/index.ts";
import type { CliContext, RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";
import { addXmppOptions } from "../fabric-options.ts";
import type { TrustedTransportOptions } from "../trusted-transport.ts";
import { loadRepo, printInvalid } from "./validate.ts";

interface ExecOptions extends TrustedTransportOptions {
  repo: string;
  timeout?: string;
  json?: boolean;
}

/** A switch that said "% …" is the user's problem (1); one we could not hear from is unreachable (5). */
function exitFor(error: TransportError | Error): number {
  const code = (error as { code?: string }).code;
  return code === "command-error" || code === "not-authorized" || code === "too-large"
    ? ExitCode.invalidInput
    : ExitCode.unreachable;
}

export async function runExec(
  target: string,
  command: string,
  options: ExecOptions,
  ctx: CliContext,
): Promise<number> {
  const loaded = await loadRepo(ctx, options.repo);
  if (!loaded.ok) {
    printInvalid(ctx, loaded, {}, false);
    return ExitCode.invalidInput;
  }
  const fabric: Fabric = loaded.fabric;
  const group = fabric.groups[target];
  if (!fabric.devices[target] && !group) {
    const known = [...Object.keys(fabric.devices), ...Object.keys(fabric.groups)].sort().join(", ");
    ctx.stderr(
      `reconciler exec: no switch or group named ${target} in fabric ${fabric.name} (known: ${known})\n`,
    );
    return ExitCode.invalidInput;
  }
  const timeoutMs = options.timeout === undefined ? undefined : Number(options.timeout);
  // The switches come from the checkout; where to connect only from the tracked branch head.
  const { openTrustedTransport } = await import("../trusted-transport.ts");
  const opened = await openTrustedTransport(options.repo, fabric, options, ctx);
  if (!opened.ok) {
    ctx.stderr(`reconciler exec: ${opened.message}\n`);
    return opened.exitCode;
  }
  const { transport } = opened;
  try {
    let replies: Map<string, GroupReply>;
    if (group) {
      replies = await transport.sendToGroup(target, command, { members: group.members, timeoutMs });
    } else {
      replies = new Map();
      try {
        replies.set(target, { ok: true, text: await transport.send(target, command, { timeoutMs }) });
      } catch (error) {
        replies.set(target, { ok: false, error: error as TransportError });
      }
    }
    return report(replies, Boolean(group), options.json ?? false, ctx);
  } finally {
    await opened.close();
  }
}

function report(replies: Map<string, GroupReply>, headed: boolean, json: boolean, ctx: CliContext): number {
  let exit: number = ExitCode.ok;
  const records: Record<string, unknown>[] = [];
  for (const [device, reply] of replies) {
    if (!reply.ok) exit = Math.max(exit, exitFor(reply.error));
    if (json) {
      records.push(
        reply.ok
          ? { device, ok: true, text: reply.text }
          : { device, ok: false, code: reply.error.code, message: reply.error.message },
      );
      continue;
    }
    if (headed) ctx.stdout(`==== ${device} ====\n`);
    if (reply.ok) ctx.stdout(reply.text === "" ? "" : `${reply.text}\n`);
    else ctx.stderr(`${device}: ${reply.error.code}: ${reply.error.message}\n`);
  }
  if (json) ctx.stdout(`${JSON.stringify({ replies: records }, null, 2)}\n`);
  return exit;
}

export const registerExec: RegisterCommand = (program, ctx) => {
  addXmppOptions(
    program
      .command("exec")
      .description("send an EOS command over XMPP to a switch, or to a group's room, and print each reply")
      .argument("<target>", "a switch (device name) or a group")
      .argument("<command...>", "the EOS command, e.g. show running-config section vlan")
      .option("--repo <dir>", "desired-state repo", ".")
      .option("--branch <branch>", "tracked branch: its head's xmpp settings are the ones used", "main")
      .option("--timeout <ms>", "reply timeout (default: the fabric's rollout.replyTimeoutMs)")
      .option("--json", "print the replies as JSON"),
  ).action(async (target: string, words: string[], options: ExecOptions) => {
    ctx.exitCode = await runExec(target, words.join(" "), options, ctx);
  });
};

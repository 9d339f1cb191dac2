import type { FreezeOverride } from "../freeze/index.ts";
import { hasPermission } from "./permission.ts";
import { unmetRequirements } from "./requirements.ts";
import type { CommentCommand, Hold, Permission, PullFacts, Unmet, WorkflowSettings } from "./types.ts";

/** The label that, with an admin's apply comment, lifts a change freeze for one apply. */
export const FREEZE_OVERRIDE_LABEL = "freeze-override";

export interface CommandContext {
  command: CommentCommand;
  commenter: string;
  /** The commenter's role; needed for apply and unlock. */
  permission?: Permission;
  settings: WorkflowSettings;
  /** The tracked branch. */
  branch: string;
  pull: PullFacts;
  /** Each reviewer's role, for the `approved` requirement. */
  reviewers?: Map<string, Permission>;
  hold: Hold | undefined;
}

export type CommandDecision =
  | { kind: "reply"; reason: ReplyReason; text: string }
  | { kind: "plan"; sha: string; isFork: boolean }
  /**
   * Apply the PR's head (open PR, applyBeforeMerge) or the tracked branch head (a merged PR: e.g.
   * again after a freeze refused its merge). `override` is set when an admin lifts a freeze.
   */
  | {
      kind: "apply";
      target: "pull-head" | "branch-head";
      sha?: string;
      override?: FreezeOverride;
      overrideNote?: string;
    }
  | { kind: "unlock" }
  /** Put the switches back to git instead of adopting a drift proposal (server/drift-proposals.ts). */
  | { kind: "heal" };

export type ReplyReason =
  | "help"
  | "unknown-command"
  | "not-tracked-branch"
  | "permission"
  | "fork"
  | "closed"
  | "apply-before-merge-off"
  | "requirements"
  | "held"
  | "not-held";

const HELP = [
  "| Command | What it does | Who |",
  "| --- | --- | --- |",
  "| `/reconciler plan` | plans this PR's head against the switches now | anyone |",
  "| `/reconciler apply [reason]` | applies this PR's head before merge (when fabric.yaml sets `github.applyBeforeMerge`); on a merged PR, applies the tracked branch again. With the `freeze-override` label, an admin's apply lifts a change freeze and `reason` is journaled | write access |",
  "| `/reconciler unlock` | releases this PR's hold on the fabric; applies of the tracked branch that waited for it run then | write access |",
  "| `/reconciler heal` | on a drift proposal PR: puts the switches back to git instead of adopting their live config, and closes it | write access; an admin unless `drift.selfHeal` |",
  "| `/reconciler help` | this table | anyone |",
].join("\n");

export function helpText(): string {
  return `#### Reconciler commands\n\n${HELP}`;
}

/** What a comment command leads to: a pure function of the facts the service fetched. */
export function decideCommand(ctx: CommandContext): CommandDecision {
  const { command, pull, settings, hold } = ctx;
  const reply = (reason: ReplyReason, text: string): CommandDecision => ({ kind: "reply", reason, text });
  const isFork = pull.headRepo !== pull.baseRepo;
  if (command.name === "help") return reply("help", helpText());
  if (command.name === "unknown")
    return reply("unknown-command", `\`/reconciler ${command.written}\` is not a command.\n\n${helpText()}`);
  if (pull.baseRef !== ctx.branch)
    return reply(
      "not-tracked-branch",
      `This PR targets \`${pull.baseRef}\`; the reconciler acts only on PRs against \`${ctx.branch}\`.`,
    );
  if (command.name === "plan") return { kind: "plan", sha: pull.headSha, isFork };

  const permission = ctx.permission ?? "none";
  if (!hasPermission(permission, settings.applyPermission)) {
    return reply(
      "permission",
      `@${ctx.commenter} cannot \`${command.name}\`: that needs ${settings.applyPermission} permission on the repository, and @${ctx.commenter} has ${permission}.`,
    );
  }
  if (command.name === "heal") return { kind: "heal" };
  if (command.name === "unlock") {
    if (hold?.pullNumber === pull.number) return { kind: "unlock" };
    return reply(
      "not-held",
      hold
        ? `This PR does not hold the fabric; #${hold.pullNumber} does (applied ${hold.sha.slice(0, 7)} by @${hold.by}). Unlock it there.`
        : "This PR does not hold the fabric; nothing to unlock.",
    );
  }

  // apply
  if (isFork)
    return reply(
      "fork",
      "This PR comes from a fork: it is planned, but never applied from a comment. Merge it to apply it.",
    );
  if (hold && hold.pullNumber !== pull.number)
    return reply(
      "held",
      `Not applied: the fabric is held by #${hold.pullNumber}, whose change (${hold.sha.slice(0, 7)}, applied by @${hold.by}) is on the switches but not merged. Merge or close #${hold.pullNumber}, or \`/reconciler unlock\` it there, first.`,
    );
  const freeze = freezeOverride(ctx);
  if (pull.merged) return { kind: "apply", target: "branch-head", ...freeze };
  if (pull.state === "closed")
    return reply("closed", "This PR is closed without being merged: there is nothing to apply.");
  if (!settings.applyBeforeMerge)
    return reply(
      "apply-before-merge-off",
      "Not applied: this fabric applies a change when it is merged. Set `github.applyBeforeMerge: true` in fabric.yaml (on the tracked branch) to allow `/reconciler apply` before merge.",
    );
  const unmet = unmetRequirements(settings.applyRequires, pull, ctx.branch, ctx.reviewers ?? new Map());
  if (unmet.length > 0) return reply("requirements", requirementsText(unmet));
  return { kind: "apply", target: "pull-head", sha: pull.headSha, ...freeze };
}

function requirementsText(unmet: Unmet[]): string {
  const lines = unmet.map((u) => `- **${u.requirement}**: ${u.why}`);
  return `Not applied: ${unmet.length} apply requirement${unmet.length === 1 ? " is" : "s are"} not met (fabric.yaml \`github.applyRequires\`):\n\n${lines.join("\n")}`;
}

/** The label alone lifts nothing: an admin must ask, and the journal records who and why. */
function freezeOverride(ctx: CommandContext): { override?: FreezeOverride; overrideNote?: string } {
  if (!ctx.pull.labels.includes(FREEZE_OVERRIDE_LABEL)) return {};
  if (!hasPermission(ctx.permission ?? "none", "admin"))
    return {
      overrideNote: `The \`${FREEZE_OVERRIDE_LABEL}\` label lifts a freeze only with an apply comment by an admin; @${ctx.commenter} has ${ctx.permission ?? "none"}.`,
    };
  const reason = ctx.command.args || `${FREEZE_OVERRIDE_LABEL} label on #${ctx.pull.number}`;
  return { override: { by: `${ctx.commenter} (GitHub, #${ctx.pull.number})`, reason } };
}

import type { Logger } from "pino";
import { renderIntended, validateFabric } from "../fabric/index.ts";
import type { Fabric, FabricFiles } from "../fabric/types.ts";
import { excerpt } from "../redaction/index.ts";
import type { EventAudit, EventOutcome, EventRecord } from "./event-audit.ts";
import { type EventMatch, matchEvent } from "./match-event.ts";
import { createChangeBudget } from "./rate-limit.ts";
import type { RepoWriter } from "./repo-writer.ts";
import type { ReceivedSyslog } from "./types.ts";
import { addConfigToYaml } from "./yaml-change.ts";

export interface EventIntakeOptions {
  /** The tracked branch's fabric as last loaded (rules, switches, addresses); undefined while invalid. */
  fabric(): Fabric | undefined;
  writer: RepoWriter;
  audit: EventAudit;
  logger: Logger;
  /** Opens a PR for a pushed branch; undefined when the service runs without GitHub. */
  openPullRequest?(pr: {
    branch: string;
    title: string;
    body: string;
  }): Promise<{ number: number; url: string }>;
  /** Asks for an apply of the tracked branch at `sha` (action: apply), through the normal run queue. */
  requestApply(sha: string): void;
  /** Metrics: one count per decision, flood included. */
  count(rule: string | undefined, outcome: EventOutcome): void;
  /** Every audited decision, for the status page. */
  onRecord?(record: EventRecord): void;
  now?: () => number;
}

export interface EventIntake {
  receive(message: ReceivedSyslog): void;
  /** Resolves once every change in progress is done (tests, shutdown). */
  idle(): Promise<void>;
}

/** Identical decisions within this window are one audit record with a count (a flood is a counter). */
const COALESCE_MS = 60_000;
/** Keys remembered as taken by this process (in progress or done), oldest forgotten first. */
const REMEMBERED_KEYS = 10_000;
const BRANCH_PREFIX = "reconciler/event";

/**
 * Events in, reviewed changes out (DESIGN §12). Matching is pure and cheap and runs for every message;
 * the git work runs one change at a time, after the duplicate and rate checks, so a thousand messages a
 * second cost a counter each. Every decision is audited, and says why.
 */
export function createEventIntake(options: EventIntakeOptions): EventIntake {
  const now = options.now ?? Date.now;
  const budget = createChangeBudget(() => options.fabric()?.events.maxChangesPerHour ?? 0);
  const taken = new Set<string>();
  const lastWritten = new Map<string, { at: number; suppressed: number }>();
  let chain: Promise<void> = Promise.resolve();

  const decide = (message: ReceivedSyslog, record: Omit<EventRecord, "at" | "transport" | "source">) => {
    options.count(record.rule, record.outcome);
    const full: EventRecord = {
      at: new Date(now()).toISOString(),
      transport: message.transport,
      source: message.source,
      ...record,
    };
    const flood =
      record.outcome !== "proposed" && record.outcome !== "applied" && record.outcome !== "failed";
    if (flood) {
      const key = [
        record.outcome,
        record.reason,
        record.rule,
        record.device ?? message.source,
        record.key,
      ].join("|");
      const last = lastWritten.get(key);
      if (last && now() - last.at < COALESCE_MS) {
        last.suppressed++;
        return;
      }
      if (last?.suppressed) full.repeats = last.suppressed + 1;
      lastWritten.set(key, { at: now(), suppressed: 0 });
      if (lastWritten.size > REMEMBERED_KEYS) lastWritten.delete(lastWritten.keys().next().value!);
    }
    options.logger[record.outcome === "failed" ? "error" : "info"](
      { event: { ...full, detail: full.detail && excerpt(full.detail, 300) } },
      full.summary && !flood
        ? full.summary
        : `event ${record.outcome}${record.reason ? ` (${record.reason})` : ""}: ${full.detail ?? ""}`,
    );
    options.onRecord?.(full);
    void options.audit
      .append(full)
      .catch((error: unknown) =>
        options.logger.error({ err: error }, "cannot write the event audit; the decision stands"),
      );
  };

  async function change(message: ReceivedSyslog, match: EventMatch): Promise<void> {
    const base = { rule: match.rule.name, device: match.device.name, key: match.key, summary: match.summary };
    const apply = match.rule.action === "apply";
    const branch = apply ? undefined : `${BRANCH_PREFIX}/${match.rule.name}/${match.key}`;
    const head = await options.writer.head();
    if (branch && (await options.writer.hasBranch(branch))) {
      return decide(message, {
        ...base,
        outcome: "duplicate",
        reason: "open-change",
        branch,
        detail: `branch ${branch} exists: an event PR for this change was opened before`,
      });
    }
    const before = head.files.files[match.targetFile];
    if (before === undefined)
      return decide(message, {
        ...base,
        outcome: "failed",
        reason: "no-file",
        detail: `${match.targetFile} is not in the tracked branch`,
      });
    const text = addConfigToYaml(
      typeof before === "string" ? before : Buffer.from(before).toString("utf8"),
      match.lines,
    );
    const files: FabricFiles = { ...head.files, files: { ...head.files.files, [match.targetFile]: text } };
    const result = validateFabric(files);
    if (!result.ok) {
      const first = result.errors
        .slice(0, 3)
        .map((e) => `${e.position.file}:${e.position.line}:${e.position.col} ${e.message}`);
      return decide(message, {
        ...base,
        outcome: "refused",
        reason: result.errors[0]?.code ?? "invalid",
        detail: `the change would make the desired state invalid: ${first.join("; ")}`,
      });
    }
    const old = validateFabric(head.files);
    if (
      old.ok &&
      renderIntended(old.fabric, match.device.name).text ===
        renderIntended(result.fabric, match.device.name).text
    ) {
      return decide(message, {
        ...base,
        outcome: "duplicate",
        reason: "already-in-git",
        detail: `${match.device.name}'s intended config has this already`,
      });
    }
    const target = branch ?? options.writer.trackedBranch;
    const sha = await options.writer.commit({
      branch: target,
      file: match.targetFile,
      text,
      message: `${match.summary} (event rule ${match.rule.name})\n\n${eventDescription(message, match)}`,
    });
    if (apply) {
      options.requestApply(sha);
      return decide(message, {
        ...base,
        outcome: "applied",
        sha,
        branch: target,
        detail: `committed to ${target}; apply requested`,
      });
    }
    const pr = await options.openPullRequest?.({
      branch: target,
      title: match.summary,
      body: pullRequestBody(message, match),
    });
    decide(message, {
      ...base,
      outcome: "proposed",
      sha,
      branch: target,
      ...(pr ? { pullRequest: pr } : {}),
      detail: pr ? `PR #${pr.number}` : `branch ${target} pushed; no GitHub to open the PR`,
      summary: `${match.summary} (rule ${match.rule.name}, ${pr ? `PR #${pr.number}` : `branch ${target}`})`,
    });
  }

  return {
    receive(message) {
      const fabric = options.fabric();
      if (!fabric)
        return decide(message, {
          outcome: "ignored",
          reason: "no-fabric",
          detail: "the tracked branch's desired state is not loaded (invalid or unreadable)",
        });
      const match = matchEvent(fabric, message);
      if (match.outcome === "ignored") {
        const { outcome, reason, detail, device, rule } = match;
        return decide(message, { outcome, reason, detail, device, rule });
      }
      const base = { rule: match.rule.name, device: match.device.name, key: match.key };
      const takenKey = `${match.rule.name}/${match.key}`;
      if (taken.has(takenKey))
        return decide(message, {
          ...base,
          outcome: "duplicate",
          reason: "seen",
          detail: "this change was made or is being made",
        });
      const limit = budget.check(match.rule.name, match.rule.maxChangesPerHour, now());
      if (limit !== "ok")
        return decide(message, {
          ...base,
          outcome: "rate-limited",
          reason: limit === "rule" ? "rule-limit" : "global-limit",
          detail:
            limit === "rule"
              ? `rule ${match.rule.name} made ${match.rule.maxChangesPerHour} changes in the last hour`
              : `${fabric.events.maxChangesPerHour} event changes in the last hour`,
        });
      taken.add(takenKey);
      if (taken.size > REMEMBERED_KEYS) taken.delete(taken.values().next().value!);
      budget.spend(match.rule.name, now());
      chain = chain.then(() =>
        change(message, match).catch((error: unknown) =>
          decide(message, {
            ...base,
            outcome: "failed",
            reason: (error as { code?: string }).code ?? "error",
            detail: (error as Error).message,
          }),
        ),
      );
    },
    idle: () => chain,
  };
}

function eventDescription(message: ReceivedSyslog, match: EventMatch): string {
  return [
    `Switch: ${match.device.name} (syslog over ${message.transport} from ${message.source})`,
    `Event: ${excerpt(match.event.message, 400)}`,
    `Rule: ${match.rule.name}, declared in ${match.declaredIn}`,
    `Match: ${Object.entries(match.captures)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")}`,
  ].join("\n");
}

function pullRequestBody(message: ReceivedSyslog, match: EventMatch): string {
  const fence = (text: string) => `\`\`\`\n${text.replaceAll("```", "ʼʼʼ")}\n\`\`\``;
  return [
    `**${match.summary}**, proposed by the reconciler from a switch event (rule \`${match.rule.name}\`).`,
    match.rule.description ? `> ${match.rule.description}` : "",
    `| | |\n| --- | --- |\n| Switch | \`${match.device.name}\` (syslog over ${message.transport} from \`${message.source}\`) |\n| Rule | \`${match.rule.name}\`, declared in \`${match.declaredIn}\` |\n| Match | ${Object.entries(
      match.captures,
    )
      .map(([k, v]) => `\`${k}\` = \`${v}\``)
      .join(", ")} |\n| Received | ${message.receivedAt.toISOString()} |`,
    `The event:\n\n${fence(excerpt(match.event.message, 400))}`,
    `Added to \`${match.targetFile}\`:\n\n${fence(match.lines)}`,
    "The plan of this change follows as a comment; merging it applies it. Closing it leaves git as it was.",
  ]
    .filter((part) => part !== "")
    .join("\n\n");
}

import { join } from "node:path";
import type { RegisterCommand } from "../context.ts";

export const registerHistory: RegisterCommand = (program, ctx) => {
  program
    .command("history")
    .description("list recent runs from the journal (interrupted runs included)")
    .argument("[repo]", "desired-state repo: a local path or a git URL", ".")
    .option("--state-dir <dir>", "where the journal lives (env RECONCILER_STATE_DIR)")
    .option("-n, --limit <n>", "how many runs", "20")
    .option("--json", "print as JSON")
    .option("--events", "list the switch-event decisions (serve's syslog intake) instead of runs")
    .action(
      async (
        repo: string,
        options: { stateDir?: string; limit: string; json?: boolean; events?: boolean },
      ) => {
        const { isProcessAlive, runHistory } = await import("../../journal/index.ts");
        const { stateFor } = await import("../compose-runner.ts");
        const { renderHistoryText, styleFor } = await import("../../report/text.ts");
        const { journal, dir } = stateFor(repo, options, ctx);
        if (options.events) {
          const { fileEventAudit } = await import("../../events/index.ts");
          const { renderEventsText } = await import("../../report/text-events.ts");
          const records = (await fileEventAudit(join(dir, "events.jsonl")).read()).slice(
            -Number(options.limit),
          );
          ctx.stdout(
            options.json
              ? `${JSON.stringify(records, null, 2)}\n`
              : renderEventsText(records, styleFor(ctx.isTTY)),
          );
          return;
        }
        const limit = Number(options.limit);
        const runs = runHistory(await journal.readRecent(limit), isProcessAlive).slice(0, limit);
        ctx.stdout(
          options.json ? `${JSON.stringify(runs, null, 2)}\n` : renderHistoryText(runs, styleFor(ctx.isTTY)),
        );
      },
    );
};

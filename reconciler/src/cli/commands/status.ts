import type { FabricView } from "../../status/index.ts";
import type { RegisterCommand } from "../context.ts";
import { ExitCode } from "../exit-codes.ts";

const DEFAULT_URL = "http://127.0.0.1:8080";

/**
 * `reconciler status`: the running service's fabric view (its /api/fabric), in the terminal or as
 * JSON. Exit 3 when a switch drifted, as `drift` does; 5 when the service cannot be reached.
 */
export const registerStatus: RegisterCommand = (program, ctx) => {
  program
    .command("status")
    .description("show the fabric as the running service sees it (every switch's state, compliance)")
    .option("--url <url>", `the service's address (env RECONCILER_STATUS_URL, default ${DEFAULT_URL})`)
    .option("--state <state>", "only switches in this state (in-sync, drifted, changes, unreachable, …)")
    .option("--group <group>", "only members of this group")
    .option("--json", "print the JSON the API returns")
    .action(async (options: { url?: string; state?: string; group?: string; json?: boolean }) => {
      const base = options.url ?? ctx.env.RECONCILER_STATUS_URL ?? DEFAULT_URL;
      let url: URL;
      try {
        url = new URL("api/fabric", base.endsWith("/") ? base : `${base}/`);
      } catch {
        ctx.stderr(`reconciler status: ${base} is not a URL; pass --url http://HOST:PORT\n`);
        ctx.exitCode = ExitCode.invalidInput;
        return;
      }
      if (options.state) url.searchParams.set("state", options.state);
      if (options.group) url.searchParams.set("group", options.group);
      let view: FabricView;
      try {
        const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        view = (await response.json()) as FabricView;
      } catch (error) {
        const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
        ctx.stderr(
          `reconciler status: cannot read ${url.href} (${cause}); is \`reconciler serve\` running there? Pass --url or set RECONCILER_STATUS_URL\n`,
        );
        ctx.exitCode = ExitCode.unreachable;
        return;
      }
      const { renderStatusText, styleFor } = await import("../../report/text.ts");
      ctx.stdout(
        options.json ? `${JSON.stringify(view, null, 2)}\n` : renderStatusText(view, styleFor(ctx.isTTY)),
      );
      if (view.switches.some((s) => s.state === "drifted")) ctx.exitCode = ExitCode.driftFound;
    });
};

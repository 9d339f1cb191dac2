import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { DriftReport } from "../drift/types.ts";
import type { Adoption } from "../drift-proposal/index.ts";
import type { CliContext } from "./context.ts";

/**
 * `drift --propose`: pushes a `reconciler/drift-<run id>` branch that adopts the live config into
 * git, and opens its PR when GITHUB_TOKEN and GITHUB_REPOSITORY are set (as in GitHub Actions;
 * GITHUB_API_URL for GitHub Enterprise Server). Returns whether a proposal was made.
 */
export async function proposeDrift(
  repo: string,
  report: DriftReport,
  adoption: Adoption | undefined,
  ctx: CliContext,
  base: string,
): Promise<boolean> {
  for (const n of adoption?.notAdopted ?? []) ctx.stderr(`reconciler: not adopted: ${n.device}: ${n.why}\n`);
  if (!adoption || adoption.adopted.length === 0) {
    ctx.stderr("reconciler: nothing to propose: no drift git can adopt\n");
    return false;
  }
  if (!/^[0-9a-f]{40}$/.test(report.revision.sha)) {
    ctx.stderr("reconciler: drift --propose needs a committed revision (commit or pass --rev)\n");
    return false;
  }
  const { gitProposalBranch, proposalBody, proposalTitle } = await import("../drift-proposal/index.ts");
  const { redactSecrets } = await import("../eos/index.ts");
  const branch = `reconciler/drift-${report.runId}`;
  const target = existsSync(repo) ? resolve(ctx.cwd, repo) : repo;
  const title = proposalTitle(adoption);
  await gitProposalBranch(target).push(report.revision.sha, branch, adoption.edits, title);
  const adopted = adoption.adopted.map((a) => `${a.device} (${a.file})`).join(", ");
  ctx.stderr(`reconciler: pushed ${branch}: adopts ${adopted}\n`);
  const token = ctx.env.GITHUB_TOKEN;
  const slug = ctx.env.GITHUB_REPOSITORY;
  if (!token || !slug) {
    ctx.stderr(
      `reconciler: open a pull request from ${branch} into ${base} (set GITHUB_TOKEN and GITHUB_REPOSITORY to have it opened)\n`,
    );
    return true;
  }
  const { createGithubClient, createProposalPulls } = await import("../github/index.ts");
  const client = await createGithubClient({
    auth: { kind: "token", token },
    ...(ctx.env.GITHUB_API_URL ? { baseUrl: ctx.env.GITHUB_API_URL } : {}),
  });
  const number = await createProposalPulls(client, slug, base).open(
    branch,
    title,
    proposalBody(adoption, report, redactSecrets),
  );
  ctx.stderr(`reconciler: opened pull request #${number} in ${slug}\n`);
  return true;
}

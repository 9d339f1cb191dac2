import type { GithubClient } from "./client.ts";

export type DriftTarget = { kind: "pull"; number: number } | { kind: "issue"; number: number };

export interface DriftTargetQuery {
  owner: string;
  repo: string;
  /** The tracked branch, whose history says who last changed a switch. */
  branch: string;
  /** Switch → the desired-state files that define it (its device file, its groups' files, fabric.yaml). */
  files: Record<string, string[]>;
  issueTitle: string;
}

/**
 * Where each drifting switch's report goes: the PR that last changed its files (newest commit on
 * the branch touching them → the PRs associated with that commit), or the standing drift issue.
 */
export async function findDriftTargets(
  client: GithubClient,
  query: DriftTargetQuery,
): Promise<Map<string, DriftTarget>> {
  const { owner, repo } = query;
  const targets = new Map<string, DriftTarget>();
  const pullOfCommit = new Map<string, number | undefined>();
  let issue: DriftTarget | undefined;
  const lastCommitOf = new Map<string, { sha: string; date: string } | undefined>();
  for (const [device, paths] of Object.entries(query.files)) {
    // The newest change to any file that defines the switch is the one that made it what git says.
    const latest: { sha: string; date: string; order: number }[] = [];
    for (const [order, path] of paths.entries()) {
      if (!lastCommitOf.has(path)) {
        const { data: commits } = await client.rest.repos.listCommits({
          owner,
          repo,
          sha: query.branch,
          path,
          per_page: 1,
        });
        const commit = commits[0];
        lastCommitOf.set(
          path,
          commit && {
            sha: commit.sha,
            date: commit.commit.committer?.date ?? commit.commit.author?.date ?? "",
          },
        );
      }
      const last = lastCommitOf.get(path);
      if (last) latest.push({ ...last, order });
    }
    latest.sort((a, b) => b.date.localeCompare(a.date) || a.order - b.order);
    let pull: number | undefined;
    for (const { sha } of latest) {
      if (!pullOfCommit.has(sha)) {
        const { data: pulls } = await client.rest.repos.listPullRequestsAssociatedWithCommit({
          owner,
          repo,
          commit_sha: sha,
        });
        pullOfCommit.set(sha, (pulls.find((p) => p.merged_at !== null) ?? pulls[0])?.number);
      }
      pull = pullOfCommit.get(sha);
      if (pull !== undefined) break;
    }
    if (pull !== undefined) {
      targets.set(device, { kind: "pull", number: pull });
    } else {
      issue ??= { kind: "issue", number: await standingIssue(client, owner, repo, query.issueTitle, true) };
      targets.set(device, issue);
    }
  }
  return targets;
}

/** The open issue titled `title` (created when `create` and there is none); 0 when absent. */
export async function standingIssue(
  client: GithubClient,
  owner: string,
  repo: string,
  title: string,
  create: boolean,
): Promise<number> {
  const open = await client.paginate(client.rest.issues.listForRepo, {
    owner,
    repo,
    state: "open",
    per_page: 100,
  });
  const found = open.find((i) => i.title === title && !i.pull_request);
  if (found) return found.number;
  if (!create) return 0;
  const { data } = await client.rest.issues.create({
    owner,
    repo,
    title,
    body: "Drift reports for switches that no pull request changed are posted here by the reconciler.",
  });
  return data.number;
}

import { hasPermission } from "./permission.ts";
import type { ApplyRequirement, Permission, PullFacts, Unmet } from "./types.ts";

/** Each requirement's test and what to do when it fails; one entry per `github.applyRequires` value. */
const CHECKS: Record<
  ApplyRequirement,
  (pull: PullFacts, branch: string, reviewers: Map<string, Permission>) => string | undefined
> = {
  // Approval counts only from someone who could merge the change themselves (write or more), not the
  // author, and only for the head being applied: a push after the approval needs a new one.
  approved: (pull, _branch, reviewers) => {
    const latest = latestReviews(pull);
    const approvers = [...latest.values()]
      .filter((r) => r.state === "APPROVED" && r.user !== pull.author)
      .filter((r) => hasPermission(reviewers.get(r.user) ?? "none", "write"));
    if (approvers.some((r) => r.commitId === pull.headSha)) return undefined;
    if (approvers.length > 0)
      return `approved only at an older head; a reviewer with write access must approve ${pull.headSha.slice(0, 7)}`;
    return "not approved by a reviewer with write access other than the author";
  },
  mergeable: (pull) => {
    if (pull.mergeable === true) return undefined;
    if (pull.mergeable === null)
      return "GitHub is still checking whether it can be merged; comment again shortly";
    return "not mergeable: resolve the conflicts with the tracked branch";
  },
  // A head that lacks commits of the tracked branch would apply a fabric without them: switches would
  // lose what was merged since the PR branched off.
  "up-to-date": (pull, branch) =>
    pull.behindBy === 0
      ? undefined
      : `${pull.behindBy} commit${pull.behindBy === 1 ? "" : "s"} behind ${branch}: merge or rebase onto ${branch}`,
};

/** The requirements the PR does not meet, in the order the fabric lists them. */
export function unmetRequirements(
  required: ApplyRequirement[],
  pull: PullFacts,
  branch: string,
  reviewers: Map<string, Permission>,
): Unmet[] {
  const unmet: Unmet[] = [];
  for (const requirement of required) {
    const why = CHECKS[requirement](pull, branch, reviewers);
    if (why) unmet.push({ requirement, why });
  }
  return unmet;
}

/** Each reviewer's last review that decides something (a comment neither approves nor withdraws). */
export function latestReviews(pull: PullFacts): Map<string, PullFacts["reviews"][number]> {
  const latest = new Map<string, PullFacts["reviews"][number]>();
  for (const review of pull.reviews) {
    if (review.state === "COMMENTED" || review.state === "PENDING") continue;
    latest.set(review.user, review);
  }
  return latest;
}

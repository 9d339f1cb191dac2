export {
  createGithubClient,
  type GithubAuth,
  type GithubClient,
  type GithubClientOptions,
  resolveCommentAuthor,
} from "./client.ts";
export { type CheckName, type StatusState, statusContext } from "./commit-status.ts";
export { type DriftTarget, findDriftTargets } from "./drift-target.ts";
export { createProposalPulls, type ProposalPulls } from "./proposal-pulls.ts";
export { createPullRequestReader, type PullRequestReader } from "./pull-facts.ts";
export { createGithubReporter, type GithubReporter, type GithubReporterOptions } from "./reporter.ts";
export { stickyMarker, upsertStickyComment } from "./sticky-comment.ts";

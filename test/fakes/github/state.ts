/** What the fake GitHub keeps per repository, and the signature of its routes. */
import type { CommitStatus, Issue, IssueComment } from "./shapes.ts";

/** A commit on the fake's default branch, newest last; `pulls` are the PRs it is associated with. */
export interface FakeCommit {
  sha: string;
  message: string;
  paths: string[];
  pulls: number[];
}

/** A pull request as the fake keeps it; the routes render GitHub's shapes from it. */
export interface FakePull {
  number: number;
  title: string;
  author: string;
  headSha: string;
  headRef: string;
  /** "owner/name"; another repo than this one is a fork. */
  headRepo: string;
  baseRef: string;
  state: "open" | "closed";
  merged: boolean;
  mergeable: boolean | null;
  labels: string[];
  /** Commits of the base branch the head lacks (compare's behind_by). */
  behindBy: number;
  /** What the PR says (a PR the reconciler opened: an event's change). */
  body?: string;
}

export interface FakeReview {
  user: string;
  state: "APPROVED" | "CHANGES_REQUESTED" | "COMMENTED" | "DISMISSED";
  commitId: string;
}

export interface FakeRepoState {
  comments: Map<number, IssueComment[]>;
  statuses: Map<string, CommitStatus[]>;
  issues: Issue[];
  commits: FakeCommit[];
  pulls: Map<number, FakePull>;
  reviews: Map<number, FakeReview[]>;
  /** login → role (admin, maintain, write, triage, read); absent: no collaborator (404). */
  roles: Map<string, string>;
  /** Branch → head sha, for PRs opened through the API (the test pushes the branch with real git). */
  branches: Map<string, string>;
}

export type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
export type Handler = (ctx: {
  params: string[];
  query: URLSearchParams;
  body: unknown;
  auth: string | undefined;
}) => Reply;

export interface RouteEnv {
  base(): string;
  repo(fullName: string): FakeRepoState;
  nextId(): number;
  botLogin: string;
  appSlug: string;
}

/** One endpoint: method, path pattern (its groups are `params`), handler. */
export type Route = [string, RegExp, Handler];

/**
 * The fake GitHub's endpoints, one file per concern: each answers with the shape GitHub's OpenAPI
 * description gives (shapes.ts) and checks request bodies as GitHub does (422 on a missing field or
 * an oversized body). The first route whose method and pattern match answers.
 */
import { appRoutes } from "./app-routes.ts";
import { commentRoutes } from "./comment-routes.ts";
import { commitRoutes } from "./commit-routes.ts";
import { issueRoutes } from "./issue-routes.ts";
import { pullRoutes } from "./pull-routes.ts";
import { reviewRoutes } from "./review-routes.ts";
import type { Route, RouteEnv } from "./state.ts";
import { statusRoutes } from "./status-routes.ts";

export { notFound } from "./replies.ts";
export type {
  FakeCommit,
  FakePull,
  FakeRepoState,
  FakeReview,
  Handler,
  Reply,
  Route,
  RouteEnv,
} from "./state.ts";

export function githubRoutes(env: RouteEnv): Route[] {
  return [
    ...appRoutes(env),
    ...commentRoutes(env),
    ...statusRoutes(env),
    ...commitRoutes(env),
    ...pullRoutes(env),
    ...reviewRoutes(env),
    ...issueRoutes(env),
  ];
}

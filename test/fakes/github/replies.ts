/** Answers every route gives alike: GitHub's 404 and 422 bodies, Link-header pages, the caller. */

import { type BasicError, type SimpleUser, user, type ValidationError } from "./shapes.ts";
import type { Reply, RouteEnv } from "./state.ts";

export const notFound = (): Reply => ({
  status: 404,
  body: { message: "Not Found", documentation_url: "https://docs.github.com/rest" } satisfies BasicError,
});

/** Who a token is: an installation token (ghs_) is the app's bot, any other the configured user. */
export const actorOf = (env: RouteEnv, auth: string | undefined): SimpleUser =>
  auth?.startsWith("token ghs_")
    ? user(`${env.appSlug}[bot]`, 9, env.base())
    : user(env.botLogin, 7, env.base());

export const invalid = (resource: string, field: string, message: string): Reply => ({
  status: 422,
  body: {
    message: "Validation Failed",
    documentation_url: "https://docs.github.com/rest",
    errors: [{ resource, code: "custom", field, message }],
  } satisfies ValidationError,
});

/** One page of `items` as `page`/`per_page` ask, with GitHub's Link header (octokit's paginate follows it). */
export const page = <T>(env: RouteEnv, items: T[], query: URLSearchParams, path: string): Reply => {
  const perPage = Math.min(100, Number(query.get("per_page") ?? 30));
  const current = Number(query.get("page") ?? 1);
  const last = Math.max(1, Math.ceil(items.length / perPage));
  const link = (n: number) => {
    const q = new URLSearchParams(query);
    q.set("page", String(n));
    q.set("per_page", String(perPage));
    return `<${env.base()}${path}?${q}>`;
  };
  const links = [];
  if (current < last) links.push(`${link(current + 1)}; rel="next"`, `${link(last)}; rel="last"`);
  if (current > 1) links.push(`${link(1)}; rel="first"`, `${link(current - 1)}; rel="prev"`);
  return {
    status: 200,
    body: items.slice((current - 1) * perPage, current * perPage),
    headers: links.length ? { link: links.join(", ") } : {},
  };
};

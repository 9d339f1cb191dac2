/** Issues (the drift issue): list by state, open. */
import { actorOf, invalid, page } from "./replies.ts";
import type { CreateIssueBody, Issue } from "./shapes.ts";
import type { Route, RouteEnv } from "./state.ts";

export function issueRoutes(env: RouteEnv): Route[] {
  const actor = (auth: string | undefined) => actorOf(env, auth);
  return [
    [
      "GET",
      /^\/repos\/([^/]+\/[^/]+)\/issues$/,
      ({ params, query }) => {
        const state = query.get("state") ?? "open";
        const issues = env.repo(params[0]!).issues.filter((i) => state === "all" || i.state === state);
        return page(env, issues, query, `/repos/${params[0]}/issues`);
      },
    ],
    [
      "POST",
      /^\/repos\/([^/]+\/[^/]+)\/issues$/,
      ({ params, body, auth }) => {
        const b = body as Partial<CreateIssueBody>;
        if (typeof b.title !== "string" || b.title === "")
          return invalid("Issue", "title", "title is missing");
        const state = env.repo(params[0]!);
        const number = 1 + Math.max(0, ...state.issues.map((i) => i.number), ...state.pulls.keys());
        const issue: Issue = {
          id: env.nextId(),
          node_id: `I_${number}`,
          url: `${env.base()}/repos/${params[0]}/issues/${number}`,
          html_url: `${env.base()}/${params[0]}/issues/${number}`,
          number,
          state: "open",
          title: b.title,
          body: b.body ?? null,
          user: actor(auth),
          created_at: new Date().toISOString(),
        };
        state.issues.push(issue);
        return { status: 201, body: issue };
      },
    ],
  ];
}

/** Commit statuses (POST /repos/{o}/{r}/statuses/{sha}), kept per sha in the order they were set. */
import { actorOf, invalid } from "./replies.ts";
import { type CreateStatusBody, commitStatus } from "./shapes.ts";
import type { Route, RouteEnv } from "./state.ts";

export function statusRoutes(env: RouteEnv): Route[] {
  const actor = (auth: string | undefined) => actorOf(env, auth);
  return [
    [
      "POST",
      /^\/repos\/([^/]+\/[^/]+)\/statuses\/([0-9a-f]{40})$/,
      ({ params, body, auth }) => {
        const b = body as Partial<CreateStatusBody>;
        if (!b.state || !["error", "failure", "pending", "success"].includes(b.state))
          return invalid("Status", "state", "state is not included in the list");
        const status = commitStatus(env.nextId(), b as CreateStatusBody, actor(auth), env.base());
        const list = env.repo(params[0]!).statuses.get(params[1]!) ?? [];
        list.push(status);
        env.repo(params[0]!).statuses.set(params[1]!, list);
        return { status: 201, body: status };
      },
    ],
  ];
}

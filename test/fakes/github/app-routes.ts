/** Who the caller is, and the GitHub App's own endpoints (installation tokens). */
import { actorOf } from "./replies.ts";
import type { App, InstallationToken } from "./shapes.ts";
import type { Route, RouteEnv } from "./state.ts";

export function appRoutes(env: RouteEnv): Route[] {
  const actor = (auth: string | undefined) => actorOf(env, auth);
  return [
    ["GET", /^\/user$/, ({ auth }) => ({ status: 200, body: actor(auth) })],
    [
      "GET",
      /^\/app$/,
      () => ({
        status: 200,
        body: {
          id: 1,
          slug: env.appSlug,
          node_id: "A_1",
          name: "Fabric reconciler",
          created_at: "2026-01-01T00:00:00Z",
          updated_at: "2026-01-01T00:00:00Z",
        } satisfies App,
      }),
    ],
    [
      "POST",
      /^\/app\/installations\/(\d+)\/access_tokens$/,
      ({ params }) => ({
        status: 201,
        body: {
          token: `ghs_fake_${params[0]}`,
          expires_at: new Date(Date.now() + 3_600_000).toISOString(),
        } satisfies InstallationToken,
      }),
    ],
  ];
}

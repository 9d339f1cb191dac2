/** Pull requests: open, read, edit (title, body, state). */
import { fullPull } from "./pull-shapes.ts";
import { invalid, notFound } from "./replies.ts";
import type { UpdatePullBody } from "./shapes.ts";
import type { FakePull, Route, RouteEnv } from "./state.ts";

export function pullRoutes(env: RouteEnv): Route[] {
  return [
    [
      "POST",
      /^\/repos\/([^/]+\/[^/]+)\/pulls$/,
      ({ params, body }) => {
        const b = (body ?? {}) as { head?: unknown; base?: unknown; title?: unknown; body?: unknown };
        for (const field of ["head", "base", "title"] as const)
          if (typeof b[field] !== "string" || b[field] === "")
            return invalid("PullRequest", field, `${field} is missing`);
        const state = env.repo(params[0]!);
        if ([...state.pulls.values()].some((p) => p.state === "open" && p.headRef === b.head))
          return invalid("PullRequest", "head", `A pull request already exists for ${b.head}.`);
        const number = 1 + Math.max(0, ...state.issues.map((i) => i.number), ...state.pulls.keys());
        const pull: FakePull = {
          number,
          title: String(b.title),
          author: env.botLogin,
          headSha: "0".repeat(40),
          headRef: String(b.head),
          headRepo: params[0]!,
          baseRef: String(b.base),
          state: "open",
          merged: false,
          mergeable: true,
          labels: [],
          behindBy: 0,
          ...(typeof b.body === "string" ? { body: b.body } : {}),
        };
        state.pulls.set(number, pull);
        return { status: 201, body: fullPull(env, params[0]!, pull) };
      },
    ],
    [
      "GET",
      /^\/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)$/,
      ({ params }) => {
        const pull = env.repo(params[0]!).pulls.get(Number(params[1]));
        return pull ? { status: 200, body: fullPull(env, params[0]!, pull) } : notFound();
      },
    ],
    [
      "PATCH",
      /^\/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)$/,
      ({ params, body }) => {
        const pull = env.repo(params[0]!).pulls.get(Number(params[1]));
        if (!pull) return notFound();
        const b = body as Partial<UpdatePullBody>;
        if (b.state !== undefined && b.state !== "open" && b.state !== "closed")
          return invalid("PullRequest", "state", "state is not included in the list");
        if (b.title !== undefined) pull.title = b.title;
        if (b.body !== undefined) pull.body = b.body;
        if (b.state !== undefined) pull.state = b.state;
        return { status: 200, body: fullPull(env, params[0]!, pull) };
      },
    ],
  ];
}

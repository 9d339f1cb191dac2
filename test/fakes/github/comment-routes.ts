/** Issue and PR comments: list, create, edit, delete (GitHub's 65,536-character limit enforced). */
import { actorOf, invalid, notFound, page } from "./replies.ts";
import { type CreateCommentBody, type IssueComment, issueComment, type UpdateCommentBody } from "./shapes.ts";
import type { Route, RouteEnv } from "./state.ts";

const COMMENT_LIMIT = 65_536;

export function commentRoutes(env: RouteEnv): Route[] {
  const actor = (auth: string | undefined) => actorOf(env, auth);
  const findComment = (fullName: string, id: number): [IssueComment[], number] | undefined => {
    for (const list of env.repo(fullName).comments.values()) {
      const index = list.findIndex((c) => c.id === id);
      if (index >= 0) return [list, index];
    }
    return undefined;
  };

  return [
    [
      "GET",
      /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/,
      ({ params, query }) =>
        page(
          env,
          env.repo(params[0]!).comments.get(Number(params[1])) ?? [],
          query,
          `/repos/${params[0]}/issues/${params[1]}/comments`,
        ),
    ],
    [
      "POST",
      /^\/repos\/([^/]+\/[^/]+)\/issues\/(\d+)\/comments$/,
      ({ params, body, auth }) => {
        const b = body as Partial<CreateCommentBody>;
        if (typeof b.body !== "string") return invalid("IssueComment", "body", "body is missing");
        if (b.body.length > COMMENT_LIMIT)
          return invalid("IssueComment", "data", `Body is too long (maximum is ${COMMENT_LIMIT} characters)`);
        const number = Number(params[1]);
        const comment = issueComment(env.nextId(), params[0]!, number, b.body, actor(auth), env.base());
        const list = env.repo(params[0]!).comments.get(number) ?? [];
        list.push(comment);
        env.repo(params[0]!).comments.set(number, list);
        return { status: 201, body: comment };
      },
    ],
    [
      "PATCH",
      /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/,
      ({ params, body }) => {
        const b = body as Partial<UpdateCommentBody>;
        if (typeof b.body !== "string") return invalid("IssueComment", "body", "body is missing");
        if (b.body.length > COMMENT_LIMIT)
          return invalid("IssueComment", "data", `Body is too long (maximum is ${COMMENT_LIMIT} characters)`);
        const found = findComment(params[0]!, Number(params[1]));
        if (!found) return notFound();
        const [list, index] = found;
        const updated = { ...list[index]!, body: b.body, updated_at: new Date().toISOString() };
        list[index] = updated;
        return { status: 200, body: updated };
      },
    ],
    [
      "DELETE",
      /^\/repos\/([^/]+\/[^/]+)\/issues\/comments\/(\d+)$/,
      ({ params }) => {
        const found = findComment(params[0]!, Number(params[1]));
        if (!found) return notFound();
        found[0].splice(found[1], 1);
        return { status: 204 };
      },
    ],
  ];
}

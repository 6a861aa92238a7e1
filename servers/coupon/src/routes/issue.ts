import type { IncomingMessage } from "node:http";
import { eventParamSchema, USER_ID } from "@rushgate/api";
import { type AppEnv, type Route, requireUser } from "@rushgate/service";
import type { Context } from "hono";
import type { IssueDeps } from "../issue";
import { issueCoupon } from "../issue";

interface IssueInput {
  userId: string;
  authorization: string | undefined;
}

/**
 * POST /api/events/:eventId/issue — SPEC §5; the work is issueCoupon (../issue.ts). One route,
 * served by the app and, in its plain form (the router forwards it with `X-User-Id` and no body),
 * by the raw core (@rushgate/service raw.ts) without the framework's per-request objects.
 */
export function issueRoute(deps: IssueDeps): Route<{ eventId: number }, IssueInput> {
  return {
    method: "POST",
    path: "/api/events/:eventId/issue",
    params: eventParamSchema,
    rawInput(req: IncomingMessage) {
      const userId = req.headers["x-user-id"];
      if (typeof userId !== "string" || !USER_ID.test(userId)) return undefined;
      return { userId, authorization: req.headers.authorization };
    },
    middleware: [requireUser()],
    appInput: (c: Context<AppEnv>) => ({
      userId: c.get("userId"),
      authorization: c.req.header("authorization"),
    }),
    async handle(input, { eventId }) {
      return { status: 201, body: await issueCoupon(deps, { eventId, ...input }) };
    },
  };
}

import { eventParamSchema } from "@rushgate/api";
import { type AppEnv, requireUser, validate } from "@rushgate/service";
import type { Hono } from "hono";
import type { CouponDeps } from "../app";
import { issueCoupon } from "../issue";

/** POST /api/events/:eventId/issue — SPEC §5; the work is issueCoupon (../issue.ts). */
export function registerIssue(app: Hono<AppEnv>, deps: CouponDeps) {
  app.post("/api/events/:eventId/issue", validate("param", eventParamSchema), requireUser(), async (c) => {
    const { eventId } = c.req.valid("param");
    const body = await issueCoupon(deps, {
      eventId,
      userId: c.get("userId"),
      authorization: c.req.header("authorization"),
    });
    return c.json(body, 201);
  });
}

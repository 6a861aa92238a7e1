import { ApiError, eventParamSchema } from "@rushgate/api";
import { issue } from "@rushgate/redis";
import { type AppEnv, requireUser, validate } from "@rushgate/service";
import { bearer, verifyToken } from "@rushgate/token";
import type { Hono } from "hono";
import type { CouponDeps } from "../app";
import { newCouponId } from "../coupon-id";
import { enqueueIssuance } from "../enqueue";
import { warmEvent } from "../events";

const refusals = {
  already_issued: () => new ApiError("already_issued", "you already have a coupon for this event"),
  sold_out: () => new ApiError("sold_out", "the coupons are all gone"),
  not_admitted: () =>
    new ApiError("not_admitted", "your admission has expired or was given back: enter again"),
  not_open: () => new ApiError("event_not_open", "this event is not open"),
  not_found: () => new ApiError("event_not_found", "no such event"),
} as const;

/**
 * POST /api/events/:eventId/issue — SPEC §5. The token is checked without Redis; then one Lua
 * call decides and one BullMQ add enqueues: two round trips.
 */
export function registerIssue(app: Hono<AppEnv>, deps: CouponDeps) {
  app.post("/api/events/:eventId/issue", validate("param", eventParamSchema), requireUser(), async (c) => {
    const { eventId } = c.req.valid("param");
    const userId = c.get("userId");
    const token = bearer(c.req.header("authorization"));
    if (!token) throw new ApiError("not_admitted", "an admission token is required: enter the event first");
    const verdict = verifyToken(deps.env.ADMISSION_SECRET, token, { eventId, userId, now: Date.now() });
    if (!verdict.ok) throw new ApiError("not_admitted", `admission token refused (${verdict.reason})`);

    const k = deps.keys.event(eventId);
    const couponId = newCouponId();
    let reply = await issue(deps.redis, k, { userId, couponId });
    if (reply.kind === "not_found" && (await warmEvent(deps, eventId))) {
      reply = await issue(deps.redis, k, { userId, couponId });
    }
    if (reply.kind !== "issued") {
      deps.metrics.issues.inc({ outcome: reply.kind });
      throw refusals[reply.kind]();
    }
    await enqueueIssuance(deps.queue, { eventId, userId, couponId, issuedAt: reply.issuedAt }, c.get("log"));
    deps.metrics.issues.inc({ outcome: "issued" });
    return c.json({ status: "issued" as const, couponId, remaining: reply.remaining }, 201);
  });
}

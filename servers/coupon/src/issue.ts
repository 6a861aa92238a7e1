import { ApiError } from "@rushgate/api";
import {
  createEventBatcher,
  type IssueRequest,
  issueMany,
  type Keys,
  type RedisClient,
} from "@rushgate/redis";
import { bearer, verifyToken } from "@rushgate/token";
import type { CouponDeps } from "./app";
import { newCouponId } from "./coupon-id";
import { warmEvent } from "./events";

const refusals = {
  already_issued: () => new ApiError("already_issued", "you already have a coupon for this event"),
  sold_out: () => new ApiError("sold_out", "the coupons are all gone"),
  not_admitted: () =>
    new ApiError("not_admitted", "your admission has expired or was given back: enter again"),
  not_open: () => new ApiError("event_not_open", "this event is not open"),
  not_found: () => new ApiError("event_not_found", "no such event"),
} as const;

export type IssueDeps = Pick<
  CouponDeps,
  "env" | "redis" | "keys" | "db" | "logger" | "enqueuer" | "decide" | "metrics"
>;

/**
 * The issue script's decisions, batched: the issues of one event that finish their token check
 * in the same turn of the event loop share one issue-6.lua call, each decided as if alone, in
 * the order they came (createEventBatcher).
 */
export function createIssueDecider(redis: RedisClient, keys: Keys) {
  return createEventBatcher(keys, (k, requests: readonly IssueRequest[]) => issueMany(redis, k, requests));
}

export type IssueDecider = ReturnType<typeof createIssueDecider>;

export interface Issued {
  status: "issued";
  couponId: string;
  remaining: number;
}

/**
 * SPEC §5, the one core of POST /api/events/:eventId/issue (routes/issue.ts, on both paths):
 * the token is checked without Redis; then one Lua call decides and the job goes into the next
 * micro-batched `addBulk`. Resolves once the job is in Redis (or left for the reconciler).
 */
export async function issueCoupon(
  deps: IssueDeps,
  req: { eventId: number; userId: string; authorization: string | undefined },
): Promise<Issued> {
  const { eventId, userId } = req;
  const token = bearer(req.authorization);
  if (!token) throw new ApiError("not_admitted", "an admission token is required: enter the event first");
  const verdict = verifyToken(deps.env.ADMISSION_SECRET, token, { eventId, userId, now: Date.now() });
  if (!verdict.ok) throw new ApiError("not_admitted", `admission token refused (${verdict.reason})`);

  const couponId = newCouponId();
  let reply = await deps.decide(eventId, { userId, couponId });
  if (reply.kind === "not_found" && (await warmEvent(deps, eventId))) {
    reply = await deps.decide(eventId, { userId, couponId });
  }
  if (reply.kind !== "issued") {
    deps.metrics.issues.inc({ outcome: reply.kind });
    throw refusals[reply.kind]();
  }
  await deps.enqueuer.enqueue({ eventId, userId, couponId, issuedAt: reply.issuedAt });
  deps.metrics.issues.inc({ outcome: "issued" });
  return { status: "issued", couponId, remaining: reply.remaining };
}

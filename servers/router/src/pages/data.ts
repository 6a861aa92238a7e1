import { ApiError, type CouponView, type ErrorBody, type EventView, isErrorCode } from "@rushgate/api";
import type { Logger } from "@rushgate/logger";
import { call, type Upstream } from "../upstream";

export interface PageContext {
  requestId: string;
  log: Logger;
}

/**
 * One JSON call to a server behind the router. Unreachable or not JSON:
 * `ApiError("service_unavailable")`, which the pages turn into a "try again" page.
 */
export async function upstreamJson<T>(
  upstream: Upstream,
  ctx: PageContext,
  req: { method?: "GET" | "POST"; path: string; userId?: string; authorization?: string },
): Promise<{ status: number; body: T }> {
  const headers: Record<string, string> = { "x-request-id": ctx.requestId };
  if (req.userId) headers["x-user-id"] = req.userId;
  if (req.authorization) headers.authorization = req.authorization;
  const res = await call(upstream, { method: req.method ?? "GET", path: req.path, headers }, ctx.log);
  try {
    return { status: res.status, body: JSON.parse(res.body.toString()) as T };
  } catch {
    throw new ApiError("service_unavailable", `${upstream.name} answered something unexpected`);
  }
}

/** The error code of an upstream error answer, if it is one. */
export function errorCode(body: unknown) {
  const code = (body as Partial<ErrorBody> | null)?.error?.code;
  return isErrorCode(code) ? code : undefined;
}

export async function listEvents(coupon: Upstream, ctx: PageContext): Promise<EventView[]> {
  const res = await upstreamJson<{ events: EventView[] }>(coupon, ctx, { path: "/api/events" });
  if (res.status !== 200) throw new ApiError("service_unavailable", "the event list is unavailable");
  return res.body.events;
}

/** An event's public view; null when it does not exist. */
export async function getEvent(
  coupon: Upstream,
  ctx: PageContext,
  eventId: number,
): Promise<EventView | null> {
  const res = await upstreamJson<EventView>(coupon, ctx, { path: `/api/events/${eventId}` });
  if (res.status === 404) return null;
  if (res.status !== 200) throw new ApiError("service_unavailable", "the event is unavailable");
  return res.body;
}

/** The user's coupons, newest first; an empty list when the coupon server cannot say. */
export async function myCoupons(coupon: Upstream, ctx: PageContext, userId: string): Promise<CouponView[]> {
  try {
    const res = await upstreamJson<{ coupons: CouponView[] }>(coupon, ctx, {
      path: "/api/me/coupons",
      userId,
    });
    return res.status === 200 ? res.body.coupons : [];
  } catch {
    return [];
  }
}

import { eventParamSchema } from "@rushgate/api";
import { type AppEnv, requireAdmin, validate } from "@rushgate/service";
import type { Hono } from "hono";
import type { RouterDeps } from "../app";
import { identify } from "../identity";
import { forward } from "../upstream";

/**
 * Everything the router passes through. It validates ids and identity first, so a bad request
 * is answered here without costing an upstream hop, and checks the admin token itself too.
 */
export function registerForwarded(app: Hono<AppEnv>, deps: RouterDeps) {
  const event = validate("param", eventParamSchema);
  const toWaitingRoom = (c: Parameters<typeof forward>[0]) => forward(c, deps.waitingRoom, c.get("userId"));
  const toCoupon = (c: Parameters<typeof forward>[0]) => forward(c, deps.coupon, c.get("userId"));

  const { identity, budgets } = deps;

  app.get("/api/queue/:eventId/status", event, identify(identity, budgets.status), toWaitingRoom);
  app.delete("/api/queue/:eventId", event, identify(identity, budgets.leave), toWaitingRoom);

  app.get("/api/events", toCoupon);
  app.get("/api/events/:eventId", event, toCoupon);
  app.post("/api/events/:eventId/issue", event, identify(identity, budgets.issue), toCoupon);
  app.get("/api/me/coupons", identify(identity, budgets.coupons), toCoupon);

  const admin = requireAdmin(deps.env.ADMIN_TOKEN);
  app.post("/admin/api/events", admin, toCoupon);
  app.get("/admin/api/events/:eventId/stats", admin, event, async (c) => {
    const { eventId } = c.req.valid("param");
    const res = await toCoupon(c);
    if (res.status !== 200) return res;
    // The coupon server read live RPM from Redis; this router adds the entries it has counted
    // but not flushed yet.
    const stats = (await res.json()) as Record<string, unknown>;
    return c.json({ ...stats, liveRpm: Number(stats.liveRpm ?? 0) + deps.gate.unflushed(eventId) });
  });
}

import type { CouponView } from "@rushgate/api";
import { listUserIssuances } from "@rushgate/db";
import { parseIssued } from "@rushgate/redis";
import { type AppEnv, requireUser } from "@rushgate/service";
import type { Hono } from "hono";
import type { CouponDeps } from "../app";

const RECENT_MS = 30 * 24 * 3600_000;

/**
 * GET /api/me/coupons — persisted coupons from MySQL, plus those Redis has issued that the issuer
 * has not written yet ("pending"), so a user sees their coupon the moment it is issued.
 */
export function registerMe(app: Hono<AppEnv>, deps: CouponDeps) {
  app.get("/api/me/coupons", requireUser(), async (c) => {
    const userId = c.get("userId");
    const rows = await listUserIssuances(deps.db, { userId });
    const coupons: CouponView[] = rows.map((r) => ({
      eventId: r.eventId,
      couponId: r.couponId,
      state: "persisted",
      issuedAt: r.issuedAt.toISOString(),
    }));
    const persisted = new Set(rows.map((r) => r.eventId));
    const ids = (await deps.redis.zrangebyscore(deps.keys.events, Date.now() - RECENT_MS, "+inf")).map(
      Number,
    );
    const pending = ids.filter((id) => !persisted.has(id));
    if (pending.length > 0) {
      const results = await Promise.all(
        pending.map((id) => deps.redis.hget(deps.keys.event(id).issued, userId)),
      );
      pending.forEach((eventId, i) => {
        const value = results[i];
        if (typeof value !== "string") return;
        const { couponId, issuedAt } = parseIssued(value);
        coupons.unshift({ eventId, couponId, state: "pending", issuedAt: new Date(issuedAt).toISOString() });
      });
    }
    return c.json({ coupons });
  });
}

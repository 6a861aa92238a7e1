import type { CouponView } from "@rushgate/api";
import { listUserIssuances } from "@rushgate/db";
import { parseIssued } from "@rushgate/redis";
import { type AppEnv, requireUser } from "@rushgate/service";
import type { Hono } from "hono";
import type { CouponDeps } from "../app";
import { createTtlCache } from "../ttl-cache";

const RECENT_MS = 30 * 24 * 3600_000;

/**
 * GET /api/me/coupons — SPEC §6. Redis answers for the events it holds: their issued hashes say
 * whether the user has a coupon. MySQL is asked, in one query, only when it can add something:
 * the user has a coupon in Redis (is it persisted yet?), or MySQL has events Redis no longer
 * holds. That answer is kept per user for ME_CACHE_TTL_MS, so a user without coupons costs no
 * MySQL query, and one who reloads costs one per TTL. A coupon Redis has and MySQL does not (yet)
 * is "pending"; the issuer writes it within moments.
 */
export function registerMe(app: Hono<AppEnv>, deps: CouponDeps) {
  const rowsByUser = createTtlCache<string, CouponView[]>({ max: 10_000, ttlMs: deps.env.ME_CACHE_TTL_MS });

  async function persisted(userId: string): Promise<CouponView[]> {
    const hit = rowsByUser.get(userId);
    if (hit) return hit;
    const rows = (await listUserIssuances(deps.db, { userId })).map(
      (r): CouponView => ({
        eventId: r.eventId,
        couponId: r.couponId,
        state: "persisted",
        issuedAt: r.issuedAt.toISOString(),
      }),
    );
    rowsByUser.set(userId, rows);
    return rows;
  }

  app.get("/api/me/coupons", requireUser(), async (c) => {
    const userId = c.get("userId");
    const held = (await deps.redis.zrangebyscore(deps.keys.events, Date.now() - RECENT_MS, "+inf")).map(
      Number,
    );
    // Each event's issued hash lives on its own cluster slot: separate calls, sent together.
    const values = await Promise.all(held.map((id) => deps.redis.hget(deps.keys.event(id).issued, userId)));
    const inRedis: CouponView[] = [];
    values.forEach((value, i) => {
      if (typeof value !== "string") return;
      const { couponId, issuedAt } = parseIssued(value);
      const eventId = held[i] as number;
      inRedis.push({ eventId, couponId, state: "pending", issuedAt: new Date(issuedAt).toISOString() });
    });
    const retired = (await deps.events.totals()).count > held.length;
    const rows = inRedis.length > 0 || retired ? await persisted(userId) : [];
    const inMysql = new Set(rows.map((r) => r.eventId));
    const pending = inRedis
      .filter((p) => !inMysql.has(p.eventId))
      .sort((a, b) => b.issuedAt.localeCompare(a.issuedAt));
    return c.json({ coupons: [...pending, ...rows] });
  });
}

import { ApiError, createEventSchema, eventParamSchema } from "@rushgate/api";
import { countIssuances, insertEvent } from "@rushgate/db";
import { gateSync } from "@rushgate/redis";
import { type AppEnv, requireAdmin, validate } from "@rushgate/service";
import type { Hono } from "hono";
import type { CouponDeps } from "../app";
import { eventView, metaFromRow, warmEvent } from "../events";

/** POST /admin/api/events and GET /admin/api/events/:eventId/stats (SPEC §6). */
export function registerAdminEvents(app: Hono<AppEnv>, deps: CouponDeps) {
  const admin = requireAdmin(deps.env.ADMIN_TOKEN);

  app.post("/admin/api/events", admin, validate("json", createEventSchema), async (c) => {
    const input = c.req.valid("json");
    const row = await insertEvent(deps.db, { ...input, rpmThreshold: input.rpmThreshold ?? null });
    await warmEvent(deps, row.id);
    c.get("log").info({ eventId: row.id, stock: row.stock }, "event created");
    const meta = metaFromRow(row);
    return c.json(
      {
        ...eventView(row.id, meta, row.stock),
        rpmThreshold: row.rpmThreshold,
        runningCapacity: row.runningCapacity,
        admitPerTick: row.admitPerTick,
        admissionTtlSeconds: row.admissionTtlSeconds,
        idleTimeoutSeconds: row.idleTimeoutSeconds,
      },
      201,
    );
  });

  app.get("/admin/api/events/:eventId/stats", admin, validate("param", eventParamSchema), async (c) => {
    const { eventId } = c.req.valid("param");
    const cached = await deps.events.get(eventId);
    if (!cached) throw new ApiError("event_not_found", `event ${eventId} does not exist`);
    const k = deps.keys.event(eventId);
    const now = Date.now();
    const [threshold, [waiting, running, issued, remaining, failed], gate] = await Promise.all([
      deps.redis.get(deps.keys.threshold),
      // One event's keys share a slot, so they can go in one pipeline even on a cluster.
      deps.redis
        .pipeline()
        .zcard(k.waiting)
        .zcount(k.running, `(${now}`, "+inf")
        .hlen(k.issued)
        .get(k.remaining)
        // Kept by the issuer: users whose job is in BullMQ's failed set, counted in O(1).
        .scard(k.failed)
        .exec()
        .then((results) => (results ?? []).map(([, v]) => v)),
      gateSync(deps.redis, k, 0, now),
    ]);
    const persisted = await countIssuances(deps.db, { eventId });
    return c.json({
      liveRpm: gate.liveRpm,
      rpmThreshold:
        cached.meta.rpmThreshold ?? (threshold == null ? deps.env.DEFAULT_RPM_THRESHOLD : Number(threshold)),
      waiting: Number(waiting),
      running: Number(running),
      issued: Number(issued),
      remaining: Number(remaining),
      persisted,
      queued: Math.max(0, Number(issued) - persisted - Number(failed)),
      failed: Number(failed),
    });
  });
}

import { randomBytes } from "node:crypto";
import { ApiError, createEventSchema, eventParamSchema } from "@rushgate/api";
import { countIssuances, insertEvent } from "@rushgate/db";
import { gateSync } from "@rushgate/redis";
import { type AppEnv, requireAdmin, validate } from "@rushgate/service";
import type { Hono } from "hono";
import type { CouponDeps } from "../app";
import { eventView, metaFromRow, warmEvent } from "../events";

/** POST /admin/api/events and GET /admin/api/events/:eventId/stats (SPEC §6). */
export function registerAdminEvents(app: Hono<AppEnv>, deps: CouponDeps) {
  const admin = requireAdmin();

  app.post("/admin/api/events", admin, validate("json", createEventSchema), async (c) => {
    const input = c.req.valid("json");
    // The pre-queue's seed is made here, before anyone can enter, and only its commitment is shown.
    const prequeueSeed = input.prequeue === "shuffle" ? randomBytes(32).toString("hex") : null;
    const row = await insertEvent(deps.db, {
      ...input,
      rpmThreshold: input.rpmThreshold ?? null,
      prequeueSeed,
    });
    await warmEvent(deps, row.id);
    deps.events.created(row.id);
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
        actWithinSeconds: row.actWithinSeconds,
      },
      201,
    );
  });

  app.get("/admin/api/events/:eventId/stats", admin, validate("param", eventParamSchema), async (c) => {
    const { eventId } = c.req.valid("param");
    const cached = await deps.events.get(eventId);
    if (!cached) throw new ApiError("event_not_found", `event ${eventId} does not exist`);
    const k = deps.keys.event(eventId);
    const [threshold, [issued, failed], gate] = await Promise.all([
      deps.redis.get(deps.keys.threshold),
      // One event's keys share a slot, so they can go in one pipeline even on a cluster.
      deps.redis
        .pipeline()
        .hlen(k.issued)
        // Kept by the issuer: users whose job is in BullMQ's failed set, counted in O(1).
        .scard(k.failed)
        .exec()
        .then((results) => (results ?? []).map(([, v]) => Number(v))),
      // Queue sizes and stock as the gate sees them, unexpired slots counted by Redis's clock.
      gateSync(deps.redis, k, 0),
    ]);
    const { waiting, running, remaining } = gate;
    const persisted = await countIssuances(deps.db, { eventId });
    return c.json({
      liveRpm: gate.liveRpm,
      rpmThreshold:
        cached.meta.rpmThreshold ?? (threshold == null ? deps.env.DEFAULT_RPM_THRESHOLD : Number(threshold)),
      waiting,
      running,
      issued,
      remaining,
      persisted,
      queued: Math.max(0, Number(issued) - persisted - Number(failed)),
      failed: Number(failed),
    });
  });
}

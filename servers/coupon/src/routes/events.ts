import { ApiError, type EventView, eventParamSchema } from "@rushgate/api";
import { listActiveEvents } from "@rushgate/db";
import { type AppEnv, validate } from "@rushgate/service";
import type { Hono } from "hono";
import type { CouponDeps } from "../app";
import { eventView, metaFromRow, warmEvent } from "../events";

/** GET /api/events and GET /api/events/:eventId (SPEC §6). */
export function registerEvents(app: Hono<AppEnv>, deps: CouponDeps) {
  let list: { at: number; events: EventView[] } | undefined;

  app.get("/api/events", async (c) => {
    if (!list || Date.now() - list.at >= 1_000) {
      const rows = await listActiveEvents(deps.db, { now: new Date() });
      const p = deps.redis.pipeline();
      for (const row of rows) p.get(deps.keys.event(row.id).remaining);
      const remaining = rows.length > 0 ? ((await p.exec()) ?? []) : [];
      const events: EventView[] = [];
      for (const [i, row] of rows.entries()) {
        const value = remaining[i]?.[1];
        if (value == null) await warmEvent(deps, row.id);
        events.push(eventView(row.id, metaFromRow(row), value == null ? row.stock : Number(value)));
      }
      list = { at: Date.now(), events };
    }
    return c.json({ events: list.events });
  });

  app.get("/api/events/:eventId", validate("param", eventParamSchema), async (c) => {
    const { eventId } = c.req.valid("param");
    const cached = await deps.events.get(eventId);
    if (!cached) throw new ApiError("event_not_found", `event ${eventId} does not exist`);
    return c.json(cached.view);
  });
}

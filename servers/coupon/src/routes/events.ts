import { ApiError, type EventView, eventParamSchema } from "@rushgate/api";
import { listActiveEvents } from "@rushgate/db";
import { type AppEnv, validate } from "@rushgate/service";
import type { Hono } from "hono";
import type { CouponDeps } from "../app";
import { eventView, metaFromRow, warmEvent } from "../events";

/** GET /api/events and GET /api/events/:eventId (SPEC §6). */
export function registerEvents(app: Hono<AppEnv>, deps: CouponDeps) {
  // One read of the list at a time, shared by every request that arrives meanwhile: otherwise
  // each request during a refresh would send MySQL its own query.
  let list: { at: number; events: Promise<EventView[]> } | undefined;

  async function readList(): Promise<EventView[]> {
    const rows = await listActiveEvents(deps.db, { now: new Date() });
    // Each event's keys live on their own cluster slot: separate calls, sent together.
    const [remaining, shuffledAt] = await Promise.all([
      Promise.all(rows.map((row) => deps.redis.get(deps.keys.event(row.id).remaining))),
      Promise.all(rows.map((row) => deps.redis.hget(deps.keys.event(row.id).meta, "shuffledAt"))),
    ]);
    const events: EventView[] = [];
    for (const [i, row] of rows.entries()) {
      const value = remaining[i];
      if (value == null) await warmEvent(deps, row.id);
      const meta = { ...metaFromRow(row), shuffledAt: shuffledAt[i] ? Number(shuffledAt[i]) : null };
      events.push(eventView(row.id, meta, value == null ? row.stock : Number(value)));
    }
    return events;
  }

  app.get("/api/events", async (c) => {
    if (!list || Date.now() - list.at >= 1_000) {
      const events = readList();
      const current = { at: Date.now(), events };
      list = current;
      events.catch(() => {
        if (list === current) list = undefined; // retry on the next request
      });
    }
    return c.json({ events: await list.events });
  });

  app.get("/api/events/:eventId", validate("param", eventParamSchema), async (c) => {
    const { eventId } = c.req.valid("param");
    const cached = await deps.events.get(eventId);
    if (!cached) throw new ApiError("event_not_found", `event ${eventId} does not exist`);
    return c.json(cached.view);
  });
}

import {
  ApiError,
  type EventSwitchesBody,
  effectiveSwitches,
  eventParamSchema,
  mergeSwitches,
  type SwitchChangeBody,
  type Switches,
  switchesSchema,
} from "@rushgate/api";
import { type CouponEvent, endEventAt, findEvent, updateEventSwitches } from "@rushgate/db";
import {
  endEventNow,
  getGlobalSwitches,
  redisNow,
  setEventSwitches,
  setGlobalSwitches,
} from "@rushgate/redis";
import { type AppEnv, requireAdmin, validate } from "@rushgate/service";
import type { Hono } from "hono";
import type { CouponDeps } from "../app";
import { warmEvent } from "../events";

function ownSwitches(row: CouponEvent): Switches {
  return { paused: row.paused, queueAll: row.queueAll, entryClosed: row.entryClosed };
}

/**
 * The operator's kill switches (issue 13.1). An event's own switches are kept in MySQL and copied
 * into its Redis meta, where the scripts read them; the global ones live in Redis (rg:switches,
 * like the global threshold) and are copied into the meta of every event not ended yet, and of
 * every event warmed later. Every change answers the state before and after it.
 */
export function registerAdminSwitches(app: Hono<AppEnv>, deps: CouponDeps) {
  const admin = requireAdmin();
  const event = validate("param", eventParamSchema);

  async function eventRow(eventId: number): Promise<CouponEvent> {
    const row = await findEvent(deps.db, { id: eventId });
    if (!row) throw new ApiError("event_not_found", `event ${eventId} does not exist`);
    return row;
  }

  function view(eventId: number, own: Switches, global: Switches): EventSwitchesBody {
    return { eventId, switches: own, global, effective: effectiveSwitches(own, global) };
  }

  app.get("/admin/api/switches", admin, async (c) => {
    return c.json({ switches: await getGlobalSwitches(deps.redis, deps.keys) });
  });

  app.put("/admin/api/switches", admin, validate("json", switchesSchema), async (c) => {
    const before = await getGlobalSwitches(deps.redis, deps.keys);
    const after = mergeSwitches(before, c.req.valid("json"));
    const events = await setGlobalSwitches(deps.redis, deps.keys, after);
    c.get("log").info({ before, after, events }, "global switches changed");
    return c.json({ before, after, events } satisfies SwitchChangeBody<Switches> & { events: number });
  });

  app.get("/admin/api/events/:eventId/switches", admin, event, async (c) => {
    const { eventId } = c.req.valid("param");
    const own = ownSwitches(await eventRow(eventId));
    return c.json(view(eventId, own, await getGlobalSwitches(deps.redis, deps.keys)));
  });

  app.put(
    "/admin/api/events/:eventId/switches",
    admin,
    event,
    validate("json", switchesSchema),
    async (c) => {
      const { eventId } = c.req.valid("param");
      const row = await eventRow(eventId);
      // An ended event has nothing left to switch (and may be retired from Redis already).
      if ((await redisNow(deps.redis)) >= row.endsAt.getTime())
        throw new ApiError("event_not_open", `event ${eventId} has ended`);
      const own = ownSwitches(row);
      const next = mergeSwitches(own, c.req.valid("json"));
      // MySQL first: it is what a Redis that lost the event warms it from.
      await updateEventSwitches(deps.db, { id: eventId, ...next });
      if (!(await setEventSwitches(deps.redis, deps.keys.event(eventId), next)))
        await warmEvent(deps, eventId);
      c.get("log").info({ eventId, before: own, after: next }, "event switches changed");
      const global = await getGlobalSwitches(deps.redis, deps.keys);
      const body: SwitchChangeBody<EventSwitchesBody> = {
        before: view(eventId, own, global),
        after: view(eventId, next, global),
      };
      return c.json(body);
    },
  );

  app.post("/admin/api/events/:eventId/end", admin, event, async (c) => {
    const { eventId } = c.req.valid("param");
    const row = await eventRow(eventId);
    // Redis's clock, the one every script judges the window by; MySQL and Redis get the same value.
    const now = await redisNow(deps.redis);
    if (now >= row.endsAt.getTime())
      throw new ApiError("event_not_open", `event ${eventId} has ended already`);
    await endEventAt(deps.db, { id: eventId, endsAt: new Date(now) });
    if (!(await endEventNow(deps.redis, deps.keys, eventId, now))) await warmEvent(deps, eventId);
    c.get("log").info({ eventId, endsAt: now }, "event ended by the operator");
    const body: SwitchChangeBody<{ endsAt: string }> = {
      before: { endsAt: row.endsAt.toISOString() },
      after: { endsAt: new Date(now).toISOString() },
    };
    return c.json(body);
  });
}

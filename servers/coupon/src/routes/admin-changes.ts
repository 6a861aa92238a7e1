import {
  ApiError,
  eventParamSchema,
  expandSchedule,
  MAX_PENDING_CHANGES,
  type PlannedChange,
  type ScheduleInput,
  type SettingValues,
  scheduleSchema,
  updateSettingsSchema,
} from "@rushgate/api";
import {
  cancelChangeRow,
  deleteChanges,
  findChange,
  insertChanges,
  listChanges,
  updateEventSettings,
} from "@rushgate/db";
import { addChanges, cancelChange, redisNow, updateSettings } from "@rushgate/redis";
import { type AppEnv, requireAdmin, validate } from "@rushgate/service";
import type { Hono } from "hono";
import { z } from "zod";
import type { CouponDeps } from "../app";
import { changeView, changeViews } from "../changes";
import { warmEvent } from "../events";
import { previewSchedule } from "./preview";

const changeParamSchema = z.object({
  eventId: eventParamSchema.shape.eventId,
  changeId: eventParamSchema.shape.eventId,
});

/** Times in the past are refused beyond this (a clock a little behind is fine: it applies at once). */
const PAST_SLACK_MS = 60_000;

type Settings = { rpmThreshold: number | null; admitPerTick: number; runningCapacity: number };

/**
 * Live settings and scheduled changes (issue 13): PATCH /admin/api/events/:eventId,
 * POST|GET /admin/api/events/:eventId/changes, DELETE …/changes/:changeId, POST …/preview.
 * Every one answers what it changed, before and after, for the audit trail.
 */
export function registerAdminChanges(app: Hono<AppEnv>, deps: CouponDeps) {
  const admin = requireAdmin();
  const event = validate("param", eventParamSchema);

  async function requireEvent(eventId: number) {
    const cached = await deps.events.get(eventId);
    if (!cached) throw new ApiError("event_not_found", `event ${eventId} does not exist`);
    return cached;
  }

  async function liveSettings(eventId: number): Promise<Settings> {
    const k = deps.keys.event(eventId);
    const [rpm, apt, cap] = await deps.redis.hmget(k.meta, "rpmThreshold", "admitPerTick", "runningCapacity");
    return {
      rpmThreshold: rpm ? Number(rpm) : null,
      admitPerTick: Number(apt),
      runningCapacity: Number(cap),
    };
  }

  app.patch("/admin/api/events/:eventId", admin, event, validate("json", updateSettingsSchema), async (c) => {
    const { eventId } = c.req.valid("param");
    const set = c.req.valid("json") as SettingValues;
    await requireEvent(eventId);
    const before = await liveSettings(eventId);
    const settings = set as Partial<Settings>;
    // The live meta, then MySQL: MySQL's write comes last, so the issuer's write-back of applied
    // changes (meta -> MySQL, re-read until stable) can never leave MySQL behind the meta. If
    // MySQL refuses, the meta goes back to what it was.
    const k = deps.keys.event(eventId);
    const previous = await updateSettings(deps.redis, k, set);
    try {
      await updateEventSettings(deps.db, { eventId, settings });
    } catch (err) {
      if (previous) await updateSettings(deps.redis, k, previous);
      throw err;
    }
    if (previous === null) await warmEvent(deps, eventId);
    deps.events.changed(eventId);
    const after = await liveSettings(eventId);
    c.get("log").info({ eventId, before, after }, "event settings changed");
    return c.json({ eventId, before, after });
  });

  app.post(
    "/admin/api/events/:eventId/changes",
    admin,
    event,
    validate("json", scheduleSchema),
    async (c) => {
      const { eventId } = c.req.valid("param");
      const planned = await plan(eventId, c.req.valid("json"));
      const rows = await insertChanges(deps.db, { eventId, changes: planned });
      try {
        await addChanges(
          deps.redis,
          deps.keys.event(eventId),
          rows.map((r) => ({
            id: r.id,
            at: r.applyAt.getTime(),
            set: JSON.parse(r.settings) as SettingValues,
          })),
        );
      } catch (err) {
        await deleteChanges(deps.db, { ids: rows.map((r) => r.id) });
        throw err;
      }
      c.get("log").info({ eventId, changes: rows.map((r) => r.id) }, "changes scheduled");
      return c.json({ changes: rows.map((r) => changeView(r)) }, 201);
    },
  );

  app.get("/admin/api/events/:eventId/changes", admin, event, async (c) => {
    const { eventId } = c.req.valid("param");
    await requireEvent(eventId);
    const [settings, rows] = await Promise.all([liveSettings(eventId), listChanges(deps.db, { eventId })]);
    return c.json({ settings, changes: await changeViews(deps, eventId, rows) });
  });

  app.delete(
    "/admin/api/events/:eventId/changes/:changeId",
    admin,
    validate("param", changeParamSchema),
    async (c) => {
      const { eventId, changeId } = c.req.valid("param");
      const row = await findChange(deps.db, { id: changeId });
      if (!row || row.eventId !== eventId)
        throw new ApiError("not_found", `no change ${changeId} for event ${eventId}`);
      const [before] = await changeViews(deps, eventId, [row]);
      if (before?.state !== "scheduled") {
        throw new ApiError(
          "change_not_pending",
          `change ${changeId} is ${before?.state ?? "gone"}, not scheduled`,
        );
      }
      // Redis decides (atomically against the scheduler applying it); MySQL follows.
      const outcome = await cancelChange(deps.redis, deps.keys.event(eventId), changeId);
      if (outcome === "applied")
        throw new ApiError("change_not_pending", `change ${changeId} has just applied`);
      await cancelChangeRow(deps.db, { id: changeId });
      c.get("log").info({ eventId, changeId }, "scheduled change cancelled");
      return c.json({ before, after: { ...before, state: "cancelled" } });
    },
  );

  app.post(
    "/admin/api/events/:eventId/preview",
    admin,
    event,
    validate("json", scheduleSchema),
    async (c) => {
      const { eventId } = c.req.valid("param");
      return c.json(await previewSchedule(deps, eventId, await plan(eventId, c.req.valid("json"))));
    },
  );

  /** The changes a schedule body expands to, checked against the event (scheduling and preview alike). */
  async function plan(eventId: number, body: ScheduleInput): Promise<PlannedChange[]> {
    const cached = await requireEvent(eventId);
    return checkedPlan(eventId, expandSchedule(body), cached.meta.endsAt);
  }

  /** Refuses a plan with a time long past or after the event's end, or too many pending changes. */
  async function checkedPlan(
    eventId: number,
    planned: PlannedChange[],
    endsAt: number,
  ): Promise<PlannedChange[]> {
    const now = await redisNow(deps.redis);
    const bad = planned.find((p) => p.at < now - PAST_SLACK_MS || p.at >= endsAt);
    if (bad) {
      throw new ApiError(
        "invalid_request",
        `change at ${new Date(bad.at).toISOString()} is not between now and the event's end (${new Date(endsAt).toISOString()})`,
      );
    }
    const pending = await deps.redis.zcard(deps.keys.event(eventId).changesDue);
    if (pending + planned.length > MAX_PENDING_CHANGES) {
      throw new ApiError(
        "invalid_request",
        `an event has at most ${MAX_PENDING_CHANGES} pending changes (${pending} now, ${planned.length} more asked)`,
      );
    }
    return planned;
  }
}

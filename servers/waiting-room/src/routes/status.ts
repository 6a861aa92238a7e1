import { eventParamSchema } from "@rushgate/api";
import { status } from "@rushgate/redis";
import { type AppEnv, requireUser, validate } from "@rushgate/service";
import type { Hono } from "hono";
import { queueAnswer } from "../answer";
import type { WaitingRoomDeps } from "../app";

/** GET /api/queue/:eventId/status — position, ETA, or a token; one Redis call (status-8.lua). */
export function registerStatus(app: Hono<AppEnv>, deps: WaitingRoomDeps) {
  app.get("/api/queue/:eventId/status", validate("param", eventParamSchema), requireUser(), async (c) => {
    const { eventId } = c.req.valid("param");
    const userId = c.get("userId");
    const reply = await status(deps.redis, deps.keys.event(eventId), userId);
    return c.json(queueAnswer(reply, { secret: deps.env.ADMISSION_SECRET, eventId, userId }), 200);
  });
}

import { ApiError, eventParamSchema } from "@rushgate/api";
import { enter } from "@rushgate/redis";
import { type AppEnv, requireUser, validate } from "@rushgate/service";
import type { Hono } from "hono";
import { queueAnswer } from "../answer";
import type { WaitingRoomDeps } from "../app";

/** POST /api/events/:eventId/entry — join the queue (idempotent), one Redis call. */
export function registerEntry(app: Hono<AppEnv>, deps: WaitingRoomDeps) {
  app.post("/api/events/:eventId/entry", validate("param", eventParamSchema), requireUser(), async (c) => {
    const { eventId } = c.req.valid("param");
    const userId = c.get("userId");
    const reply = await enter(deps.redis, deps.keys.event(eventId), userId);
    if (reply.kind === "sold_out") throw new ApiError("sold_out", "the coupons are all gone");
    const body = queueAnswer(reply, { secret: deps.env.ADMISSION_SECRET, eventId, userId });
    return c.json(body, body.status === "waiting" ? 202 : 200);
  });
}

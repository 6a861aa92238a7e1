import { eventParamSchema } from "@rushgate/api";
import { leave } from "@rushgate/redis";
import { type AppEnv, requireUser, validate } from "@rushgate/service";
import type { Hono } from "hono";
import type { WaitingRoomDeps } from "../app";

/** DELETE /api/queue/:eventId — give up the place or the admission; leaving twice is fine. */
export function registerLeave(app: Hono<AppEnv>, deps: WaitingRoomDeps) {
  app.delete("/api/queue/:eventId", validate("param", eventParamSchema), requireUser(), async (c) => {
    const { eventId } = c.req.valid("param");
    await leave(deps.redis, deps.keys.event(eventId), c.get("userId"));
    return c.body(null, 204);
  });
}

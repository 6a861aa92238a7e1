import { ApiError, eventParamSchema } from "@rushgate/api";
import { admit } from "@rushgate/redis";
import { type AppEnv, validate } from "@rushgate/service";
import { admittedBody } from "@rushgate/token";
import type { Hono } from "hono";
import type { RouterDeps } from "../app";
import { identify } from "../identity";
import { forward } from "../upstream";

/**
 * POST /api/events/:eventId/entry — the gate (SPEC §3). Under the threshold with no queue and
 * room to spare, the router admits directly (one Redis call: the slot); otherwise the request goes
 * to the waiting room unchanged.
 */
export function registerEntry(app: Hono<AppEnv>, deps: RouterDeps) {
  app.post("/api/events/:eventId/entry", validate("param", eventParamSchema), identify(), async (c) => {
    const { eventId } = c.req.valid("param");
    const userId = c.get("userId");
    const snapshot = await deps.gate.lookup(eventId);
    if (!snapshot) throw new ApiError("event_not_found", `event ${eventId} does not exist`);

    const decision = deps.gate.decide(eventId);
    deps.gate.count(eventId);
    deps.metrics.gateDecisions.inc({ decision });
    if (decision === "sold_out") throw new ApiError("sold_out", "the coupons are all gone");
    if (decision === "not_open") throw new ApiError("event_not_open", "this event has ended");

    if (decision === "direct") {
      const reply = await admit(deps.redis, deps.keys.event(eventId), userId, Date.now());
      switch (reply.kind) {
        case "admitted":
        case "issued":
          if (reply.kind === "admitted") deps.gate.tookSlot(eventId);
          return c.json(
            admittedBody(deps.env.ADMISSION_SECRET, { eventId, userId, expiresAt: reply.expiresAt }),
            200,
          );
        case "sold_out":
          throw new ApiError("sold_out", "the coupons are all gone");
        case "not_open":
          throw new ApiError("event_not_open", "this event has ended");
        case "not_found":
          throw new ApiError("event_not_found", `event ${eventId} does not exist`);
        default:
          break; // "queue": the snapshot was stale; the waiting room takes over.
      }
    }
    return forward(c, deps.waitingRoom, userId);
  });
}

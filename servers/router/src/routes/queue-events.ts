import type { HttpBindings } from "@hono/node-server";
import { RESPONSE_ALREADY_SENT } from "@hono/node-server/utils/response";
import { ApiError, eventParamSchema } from "@rushgate/api";
import { type AppEnv, validate } from "@rushgate/service";
import type { Hono } from "hono";
import type { RouterDeps } from "../app";
import { identify } from "../identity";
import { queueStatusReply } from "../queue";

/**
 * `GET /api/queue/:eventId/events`: the status of `GET /api/queue/:eventId/status` pushed as
 * server-sent events. Until the stream starts it *is* the status route — same identity, the
 * status budget, the same first read (one round trip), the same 4xx JSON for a bad event id,
 * identity or a user who is not in the queue — then the router's stream hub (queue/streams.ts)
 * takes the response over. Served by the app only (the raw core answers one-shot requests): a
 * browser's EventSource always carries cookies, and a stream costs at its ticks, not at its start.
 */
export function registerQueueEvents(app: Hono<AppEnv>, deps: RouterDeps) {
  app.get(
    "/api/queue/:eventId/events",
    validate("param", eventParamSchema),
    identify(deps.identity, deps.budgets.status),
    async (c) => {
      const { eventId } = c.req.valid("param");
      const userId = c.get("userId");
      const first = await queueStatusReply(deps.queue, eventId, userId);
      // The node:http response under hono (absent under app.request, which cannot hold a stream).
      const res = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
      if (!res) throw new ApiError("service_unavailable", "event streams need the node:http server");
      deps.streams.open({ eventId, userId, res, first, requestId: c.get("requestId") });
      return RESPONSE_ALREADY_SENT;
    },
  );
}

import type { IncomingMessage } from "node:http";
import { getConnInfo } from "@hono/node-server/conninfo";
import { ApiError, eventParamSchema, userIdSchema } from "@rushgate/api";
import type { AnyRoute, AppEnv, Route } from "@rushgate/service";
import type { Context } from "hono";
import type { RouterDeps } from "../app";
import { identify } from "../identity";
import { leaveQueue, queueStatus } from "../queue";
import { type Budget, clientAddress } from "../rate-limit";
import { call } from "../upstream";
import { enterEvent } from "./entry";

/** Who is calling, however the request came. */
export interface Caller {
  userId: string;
  authorization: string | undefined;
  ip: string;
}

type EventParams = { eventId: number };

/**
 * The API routes of a rush — entry, status, leave, issue — each written once and served both by
 * the hono app and, in their plain form (an `X-User-Id`, no cookie identity, no body), by the
 * raw core on Node's request (SPEC §4: a status poll is answered by the first process that
 * receives it, from Redis). The hono path adds what only browsers need: the `uid` and admission
 * cookies, and the same-origin check that comes with them.
 */
export function apiRoutes(deps: RouterDeps): AnyRoute[] {
  const trustProxy = deps.env.TRUST_PROXY;

  function rawInput(req: IncomingMessage): Caller | undefined {
    const user = req.headers["x-user-id"];
    if (typeof user !== "string" || !userIdSchema.safeParse(user).success) return undefined;
    const forwardedFor = req.headers["x-forwarded-for"];
    return {
      userId: user,
      authorization: req.headers.authorization,
      ip: clientAddress(
        typeof forwardedFor === "string" ? forwardedFor : undefined,
        req.socket.remoteAddress,
        trustProxy,
      ),
    };
  }

  function appInput(c: Context<AppEnv>): Caller {
    let socketAddress: string | undefined;
    try {
      socketAddress = getConnInfo(c).remote.address;
    } catch {
      socketAddress = undefined; // not served by @hono/node-server (app.request in tests)
    }
    return {
      userId: c.get("userId"),
      authorization: c.req.header("authorization"),
      ip: clientAddress(c.req.header("x-forwarded-for"), socketAddress, trustProxy),
    };
  }

  function spend(budget: Budget | undefined, caller: Caller) {
    const wait = budget ? budget(caller.ip, caller.userId) : 0;
    if (wait > 0)
      throw new ApiError("too_many_requests", `slow down: try again in ${wait} s`, { retryAfter: wait });
  }

  const route = (
    method: Route<EventParams, Caller>["method"],
    path: string,
    handle: Route<EventParams, Caller>["handle"],
  ): Route<EventParams, Caller> => ({
    method,
    path,
    params: eventParamSchema,
    rawInput,
    middleware: [identify()],
    appInput,
    handle,
  });

  return [
    route("POST", "/api/events/:eventId/entry", async (caller, { eventId }) => {
      spend(deps.budgets.entry, caller);
      return enterEvent(deps, eventId, caller.userId);
    }),
    route("GET", "/api/queue/:eventId/status", async (caller, { eventId }) => {
      spend(deps.budgets.status, caller);
      return { status: 200, body: await queueStatus(deps.queue, eventId, caller.userId) };
    }),
    route("DELETE", "/api/queue/:eventId", async (caller, { eventId }) => {
      await leaveQueue(deps.queue, eventId, caller.userId);
      return { status: 204 };
    }),
    route("POST", "/api/events/:eventId/issue", async (caller, { eventId }, ctx) => {
      const headers: Record<string, string> = { "x-user-id": caller.userId, "x-request-id": ctx.requestId };
      if (caller.authorization) headers.authorization = caller.authorization;
      const res = await call(
        deps.coupon,
        { method: "POST", path: `/api/events/${eventId}/issue`, headers },
        ctx.log,
      );
      return { status: res.status, headers: res.headers, raw: res.body };
    }),
  ];
}

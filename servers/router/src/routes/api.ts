import type { IncomingMessage } from "node:http";
import { eventParamSchema } from "@rushgate/api";
import { incomingRequest } from "@rushgate/identity";
import type { AnyRoute, AppEnv, Route } from "@rushgate/service";
import type { Context } from "hono";
import type { RouterDeps } from "../app";
import { identify } from "../identity";
import { leaveQueue, queueStatus } from "../queue";
import { type Budget, refuseOver } from "../rate-limit";
import { call } from "../upstream";
import { enterEvent } from "./entry";

/** Who is calling, however the request came. */
export interface Caller {
  userId: string;
  authorization: string | undefined;
  /** The client's address; undefined when the app's middleware has spent its budget already. */
  ip: string | undefined;
}

type EventParams = { eventId: number };

/**
 * The API routes of a rush — entry, status, leave, issue — each written once and served both by
 * the hono app and, in their plain form (an identity the resolver vouches for at once, no
 * cookie, no body), by the raw core on Node's request (SPEC §4: a status poll is answered by the
 * first process that receives it, from Redis). The hono path adds what only browsers need: the
 * `uid` and admission cookies, and the same-origin check that comes with them.
 */
export function apiRoutes(deps: RouterDeps): AnyRoute[] {
  const { identity } = deps;

  function rawInput(req: IncomingMessage): Caller | undefined {
    // A browser (cookies) goes through the app, which also turns its admission cookie into
    // Authorization; so does any identity the resolver cannot vouch for at once (SPEC §2).
    if (req.headers.cookie !== undefined) return undefined;
    const userId = identity.peek(incomingRequest(req));
    if (userId === undefined) return undefined;
    const forwardedFor = req.headers["x-forwarded-for"];
    return {
      userId,
      authorization: req.headers.authorization,
      ip: identity.address(
        typeof forwardedFor === "string" ? forwardedFor : undefined,
        req.socket.remoteAddress,
      ),
    };
  }

  function appInput(c: Context<AppEnv>): Caller {
    return { userId: c.get("userId"), authorization: c.req.header("authorization"), ip: undefined };
  }

  /** The route group's budget: per address (unless spent already) and per user. */
  function spend(budget: Budget, caller: Caller) {
    refuseOver(caller.ip === undefined ? budget.user(caller.userId) : budget(caller.ip, caller.userId));
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
    middleware: [identify(identity)],
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
      spend(deps.budgets.leave, caller);
      await leaveQueue(deps.queue, eventId, caller.userId);
      return { status: 204 };
    }),
    route("POST", "/api/events/:eventId/issue", async (caller, { eventId }, ctx) => {
      spend(deps.budgets.issue, caller);
      const headers: Record<string, string> = { "x-user-id": caller.userId, "x-request-id": ctx.requestId };
      if (caller.authorization) headers.authorization = caller.authorization;
      const res = await call(
        deps.coupon,
        { method: "POST", path: `/api/events/${eventId}/issue`, headers },
        // The request's child logger is made only if the call has to warn (rarely).
        { warn: (obj, msg) => ctx.log.warn(obj, msg) },
      );
      return { status: res.status, headers: res.headers, raw: res.body };
    }),
  ];
}

import {
  type AdmittedBody,
  ApiError,
  type ErrorBody,
  eventParamSchema,
  isErrorCode,
  type WaitingBody,
} from "@rushgate/api";
import type { Logger } from "@rushgate/logger";
import { admit } from "@rushgate/redis";
import { type AppEnv, validate } from "@rushgate/service";
import { admittedBody } from "@rushgate/token";
import type { Hono } from "hono";
import type { RouterDeps } from "../app";
import { identify } from "../identity";

/** What an entry answers (SPEC §6); every refusal is thrown as an ApiError. */
export type EntryResult = { status: 200; body: AdmittedBody } | { status: 202; body: WaitingBody };

interface RequestContext {
  requestId: string;
  log: Logger;
}

/**
 * One entry to an event — the gate (SPEC §3), shared by the entry API and the event page. The
 * request counts towards live RPM. Under the threshold with no queue and room to spare, the router
 * admits directly (one Redis call: the slot); otherwise the waiting room takes the user.
 */
export async function enterEvent(
  deps: RouterDeps,
  eventId: number,
  userId: string,
  ctx: RequestContext,
): Promise<EntryResult> {
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
        return {
          status: 200,
          body: admittedBody(deps.env.ADMISSION_SECRET, { eventId, userId, expiresAt: reply.expiresAt }),
        };
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
  return joinWaitingRoom(deps, eventId, userId, ctx);
}

/**
 * The waiting room's entry (idempotent: entering again keeps the place), without the gate. Its
 * refusals come back as the same ApiError; an unreachable waiting room is `503`.
 */
export async function joinWaitingRoom(
  deps: RouterDeps,
  eventId: number,
  userId: string,
  ctx: RequestContext,
): Promise<EntryResult> {
  let status: number;
  let body: unknown;
  try {
    const res = await deps.waitingRoom.pool.request({
      method: "POST",
      path: `/api/events/${eventId}/entry`,
      headers: { "x-request-id": ctx.requestId, "x-user-id": userId },
    });
    status = res.statusCode;
    body = await res.body.json();
  } catch (err) {
    ctx.log.warn({ err, upstream: deps.waitingRoom.name }, "upstream unreachable");
    throw new ApiError("service_unavailable", `${deps.waitingRoom.name} is unavailable, try again shortly`);
  }
  if (status === 200) return { status, body: body as AdmittedBody };
  if (status === 202) return { status, body: body as WaitingBody };
  const error = (body as Partial<ErrorBody> | null)?.error;
  if (error && isErrorCode(error.code)) throw new ApiError(error.code, error.message);
  ctx.log.warn({ status, upstream: deps.waitingRoom.name }, "unexpected upstream answer");
  throw new ApiError("service_unavailable", `${deps.waitingRoom.name} is unavailable, try again shortly`);
}

/** POST /api/events/:eventId/entry — SPEC §6. */
export function registerEntry(app: Hono<AppEnv>, deps: RouterDeps) {
  app.post(
    "/api/events/:eventId/entry",
    validate("param", eventParamSchema),
    identify(deps.identity, deps.budgets.entry),
    async (c) => {
      const { eventId } = c.req.valid("param");
      const result = await enterEvent(deps, eventId, c.get("userId"), {
        requestId: c.get("requestId"),
        log: c.get("log"),
      });
      return c.json(result.body, result.status);
    },
  );
}

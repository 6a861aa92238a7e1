import { randomUUID } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";

/** What a caller may send as `X-Request-Id` (hono's rule): 1–64 of [A-Za-z0-9_=-]. */
const VALID = /^[\w\-=]{1,64}$/;

// Unique per process and cheaper than a UUID per request.
const prefix = `${process.pid.toString(36)}-${randomUUID().slice(0, 8)}-`;
let seq = 0;

/**
 * The request id of a request: the caller's `X-Request-Id` when it is well formed, else a new
 * one. Both the hono app and the raw core (raw.ts) take it from here, so a request is logged and
 * echoed the same way whichever path answers it, and a hostile header never reaches a log.
 */
export function requestIdOf(header: string | string[] | undefined): string {
  return typeof header === "string" && VALID.test(header) ? header : `${prefix}${(++seq).toString(36)}`;
}

/** Sets `c.var.requestId` and echoes it as `X-Request-Id`. */
export function requestId(): MiddlewareHandler<AppEnv> {
  return async function requestId(c, next) {
    const id = requestIdOf(c.req.header("x-request-id"));
    c.set("requestId", id);
    c.header("x-request-id", id);
    await next();
  };
}

import { ApiError } from "@rushgate/api";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";

export const UNSAFE_METHODS: ReadonlySet<string> = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * CSRF defence for cookie-authenticated requests: a safe method passes; an unsafe one must carry
 * an `Origin` (or, when a browser sends none, a `Referer`) naming the host it was sent to.
 */
export function isSameOrigin(c: Context): boolean {
  if (!UNSAFE_METHODS.has(c.req.method)) return true;
  const host = c.req.header("host");
  const source = c.req.header("origin") ?? c.req.header("referer");
  if (!host || !source || source === "null") return false;
  try {
    return new URL(source).host === host;
  } catch {
    return false;
  }
}

/** Throws `403 forbidden` unless `isSameOrigin`. */
export function assertSameOrigin(c: Context): void {
  if (!isSameOrigin(c))
    throw new ApiError("forbidden", "cross-site request refused: Origin does not match this site");
}

/**
 * Makes a credential taken from a cookie travel as `Authorization` from here on, so that a route
 * which forwards the request upstream carries it (the servers behind the router read headers only).
 */
export function setRequestAuthorization(c: Context, value: string): void {
  const headers = new Headers(c.req.raw.headers);
  headers.set("authorization", value);
  c.req.raw = new Request(c.req.raw, { headers });
}

/**
 * Admin endpoints: passes only a request that adminApi() (audit.ts, mounted on `/admin/api/*` by
 * every server that serves admin routes) has authenticated. A second line of defence: a route
 * mounted where the guard is not answers 401 instead of running unauthenticated.
 */
export function requireAdmin(): MiddlewareHandler<AppEnv> {
  return async function requireAdmin(c, next) {
    if (!c.get("admin")) throw new ApiError("unauthorized", "missing or wrong admin token");
    await next();
  };
}

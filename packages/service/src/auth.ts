import { createHmac } from "node:crypto";
import { ApiError } from "@rushgate/api";
import { bearer, safeEqual } from "@rushgate/token";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import type { AppEnv } from "./context";

/** The cookie of a signed-in operator (the admin pages); HttpOnly, SameSite=Strict, Path=/admin. */
export const ADMIN_COOKIE = "rg_admin";

/** How long an admin sign-in lasts. */
export const ADMIN_SESSION_MS = 12 * 3600_000;

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

function sessionSignature(adminToken: string, expiresAt: number): string {
  return createHmac("sha256", adminToken).update(`rushgate-admin-session.${expiresAt}`).digest("base64url");
}

/**
 * The admin cookie's value: `<expiresAtMs>.<HMAC(ADMIN_TOKEN, expiry)>`. It proves the holder
 * knew the admin token without being the token, expires on its own, and dies with a new token.
 */
export function adminSession(adminToken: string, now = Date.now()): { value: string; expiresAt: number } {
  const expiresAt = now + ADMIN_SESSION_MS;
  return { value: `${expiresAt}.${sessionSignature(adminToken, expiresAt)}`, expiresAt };
}

export function verifyAdminSession(adminToken: string, value: string | undefined, now = Date.now()): boolean {
  if (!value || value.length > 128) return false;
  const dot = value.indexOf(".");
  const expiresAt = Number(value.slice(0, dot));
  if (dot < 1 || !Number.isSafeInteger(expiresAt) || expiresAt <= now) return false;
  return safeEqual(value.slice(dot + 1), sessionSignature(adminToken, expiresAt));
}

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
 * Admin endpoints: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time, or, for the
 * admin pages, a signed-in admin cookie. A header, when present, decides alone. A cookie-authenticated
 * unsafe request must come from this site (`403 forbidden` otherwise); once accepted, the request
 * carries the token as a bearer so that forwarding authenticates upstream too.
 */
export function requireAdmin(adminToken: string): MiddlewareHandler<AppEnv> {
  return async function requireAdmin(c, next) {
    const header = c.req.header("authorization");
    if (header === undefined && verifyAdminSession(adminToken, getCookie(c, ADMIN_COOKIE))) {
      assertSameOrigin(c);
      setRequestAuthorization(c, `Bearer ${adminToken}`);
      await next();
      return;
    }
    const given = bearer(header);
    if (!given || !safeEqual(given, adminToken)) {
      throw new ApiError("unauthorized", "missing or wrong admin token");
    }
    await next();
  };
}

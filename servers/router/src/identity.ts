import { randomBytes } from "node:crypto";
import { ApiError, userIdSchema } from "@rushgate/api";
import { type AppEnv, assertSameOrigin, setRequestAuthorization } from "@rushgate/service";
import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";

/** The browser's identity (SPEC §2). */
export const UID_COOKIE = "uid";

/** The admission token of one event, for browsers (SPEC §3). */
export const admissionCookie = (eventId: number) => `rg_adm_${eventId}`;

const UID_MAX_AGE_S = 365 * 24 * 3600;

/** Cookies get `Secure` when the page was reached over HTTPS (directly or through a proxy). */
export function isHttps(c: Context): boolean {
  return c.req.url.startsWith("https:") || c.req.header("x-forwarded-proto") === "https";
}

/**
 * SPEC §2: API callers send `X-User-Id`; browsers carry a `uid` cookie, which the router turns
 * into `X-User-Id` for the servers behind it. A present but malformed header is refused rather
 * than silently replaced by the cookie.
 *
 * SPEC §3: a browser carries its admission as the `rg_adm_<eventId>` cookie. On a route with an
 * event id, a cookie-identified request without `Authorization` has that cookie turned into
 * `Authorization: Bearer …` for the upstream; such a request, if unsafe, must come from this site.
 */
export function identify(): MiddlewareHandler<AppEnv> {
  return async function identify(c, next) {
    const header = c.req.header("x-user-id");
    const candidate = header ?? getCookie(c, UID_COOKIE);
    const parsed = userIdSchema.safeParse(candidate);
    if (!parsed.success)
      throw new ApiError("invalid_user", "X-User-Id must be 1-64 characters of [A-Za-z0-9_-]");
    c.set("userId", parsed.data);
    const eventId = c.req.param("eventId");
    if (header === undefined && eventId !== undefined && c.req.header("authorization") === undefined) {
      const token = getCookie(c, admissionCookie(Number(eventId)));
      if (token) {
        assertSameOrigin(c);
        setRequestAuthorization(c, `Bearer ${token}`);
      }
    }
    await next();
  };
}

/** A fresh browser id: 128 random bits, 22 characters of [A-Za-z0-9_-]. */
export function newUserId(): string {
  return randomBytes(16).toString("base64url");
}

/**
 * Pages: the user is `X-User-Id` when the site's login sets it, else the `uid` cookie, which the
 * first visit makes (random, HttpOnly, SameSite=Lax, a year long).
 */
export function identifyBrowser(): MiddlewareHandler<AppEnv> {
  return async function identifyBrowser(c, next) {
    const header = userIdSchema.safeParse(c.req.header("x-user-id"));
    const cookie = userIdSchema.safeParse(getCookie(c, UID_COOKIE));
    let userId = header.success ? header.data : cookie.success ? cookie.data : undefined;
    if (userId === undefined) {
      userId = newUserId();
      setCookie(c, UID_COOKIE, userId, {
        path: "/",
        httpOnly: true,
        sameSite: "Lax",
        secure: isHttps(c),
        maxAge: UID_MAX_AGE_S,
      });
    }
    c.set("userId", userId);
    await next();
  };
}

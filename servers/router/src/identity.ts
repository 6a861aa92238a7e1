import { ApiError, userIdSchema } from "@rushgate/api";
import type { AppEnv } from "@rushgate/service";
import type { MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";

/**
 * SPEC §2: API callers send `X-User-Id`; browsers carry a `uid` cookie, which the router turns
 * into `X-User-Id` for the servers behind it. A present but malformed header is refused rather
 * than silently replaced by the cookie.
 */
export function identify(): MiddlewareHandler<AppEnv> {
  return async function identify(c, next) {
    const header = c.req.header("x-user-id");
    const candidate = header ?? getCookie(c, "uid");
    const parsed = userIdSchema.safeParse(candidate);
    if (!parsed.success)
      throw new ApiError("invalid_user", "X-User-Id must be 1-64 characters of [A-Za-z0-9_-]");
    c.set("userId", parsed.data);
    await next();
  };
}

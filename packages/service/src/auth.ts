import { ApiError } from "@rushgate/api";
import { bearer, safeEqual } from "@rushgate/token";
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";

/** Admin endpoints: `Authorization: Bearer <ADMIN_TOKEN>`, compared in constant time. */
export function requireAdmin(adminToken: string): MiddlewareHandler<AppEnv> {
  return async function requireAdmin(c, next) {
    const given = bearer(c.req.header("authorization"));
    if (!given || !safeEqual(given, adminToken)) {
      throw new ApiError("unauthorized", "missing or wrong admin token");
    }
    await next();
  };
}

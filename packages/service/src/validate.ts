import { ApiError, userIdSchema } from "@rushgate/api";
import type { MiddlewareHandler, ValidationTargets } from "hono";
import { validator } from "hono/validator";
import type { ZodSchema, z } from "zod";
import type { AppEnv } from "./context";

/**
 * zod validation whose failures become `400 invalid_request` with the first problem named.
 * Synchronous on purpose: @hono/zod-validator's `safeParseAsync` costs a promise per request on
 * the hot path, and none of our schemas is asynchronous.
 */
export function validate<T extends keyof ValidationTargets, S extends ZodSchema>(target: T, schema: S) {
  return validator(target, (value): z.output<S> => {
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
    throw new ApiError("invalid_request", `${where}${issue?.message ?? "invalid input"}`);
  });
}

/** Requires a valid `X-User-Id` (SPEC §2) and puts it in `c.var.userId`. */
export function requireUser(): MiddlewareHandler<AppEnv> {
  return async function requireUser(c, next) {
    const parsed = userIdSchema.safeParse(c.req.header("x-user-id"));
    if (!parsed.success)
      throw new ApiError("invalid_user", "X-User-Id must be 1-64 characters of [A-Za-z0-9_-]");
    c.set("userId", parsed.data);
    await next();
  };
}

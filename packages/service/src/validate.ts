import { zValidator } from "@hono/zod-validator";
import { ApiError, userIdSchema } from "@rushgate/api";
import type { MiddlewareHandler, ValidationTargets } from "hono";
import type { ZodSchema } from "zod";
import type { AppEnv } from "./context";

/** zod validation whose failures become `400 invalid_request` with the first problem named. */
export function validate<T extends keyof ValidationTargets, S extends ZodSchema>(target: T, schema: S) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
      throw new ApiError("invalid_request", `${where}${issue?.message ?? "invalid input"}`);
    }
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

import { ApiError, type ErrorBody, type ErrorCode, errorStatus } from "@rushgate/api";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./context";

export function errorResponse(c: Context, code: ErrorCode, message: string): Response {
  const body: ErrorBody = { error: { code, message } };
  return c.json(body, errorStatus[code]);
}

/** The one `app.onError`: known errors keep their code, anything else is a logged 500. */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ApiError) return errorResponse(c, err.code, err.message);
  if (err instanceof HTTPException) {
    if (err.status === 413)
      return errorResponse(c, "payload_too_large", "request body is larger than 16 KiB");
    if (err.status === 401) return errorResponse(c, "unauthorized", "missing or wrong admin token");
    if (err.status < 500) return errorResponse(c, "invalid_request", err.message || "bad request");
  }
  const requestId = c.get("requestId");
  c.get("log")?.error({ err, requestId }, "unhandled error");
  const body: ErrorBody = { error: { code: "internal_error", message: "internal error", requestId } };
  return c.json(body, 500);
}

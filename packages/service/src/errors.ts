import { ApiError, type ErrorBody, type ErrorCode, errorStatus } from "@rushgate/api";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { AppEnv } from "./context";

/**
 * The one answer of an error, as status, headers and body: the hono app (`handleError`) and the
 * raw core (raw.ts) both write exactly this.
 */
export function errorAnswer(err: unknown, requestId: string) {
  let code: ErrorCode = "internal_error";
  let message = "internal error";
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (err instanceof ApiError) {
    code = err.code;
    message = err.message;
    if (err.retryAfter !== undefined) headers["retry-after"] = String(err.retryAfter);
  } else if (err instanceof HTTPException) {
    if (err.status === 413) [code, message] = ["payload_too_large", "request body is larger than 16 KiB"];
    else if (err.status === 401) [code, message] = ["unauthorized", "missing or wrong admin token"];
    else if (err.status < 500) [code, message] = ["invalid_request", err.message || "bad request"];
  }
  const body: ErrorBody =
    code === "internal_error" ? { error: { code, message, requestId } } : { error: { code, message } };
  return { status: errorStatus[code], headers, body, unexpected: code === "internal_error" };
}

export function errorResponse(c: Context, code: ErrorCode, message: string): Response {
  const body: ErrorBody = { error: { code, message } };
  return c.json(body, errorStatus[code]);
}

/** The one `app.onError`: known errors keep their code, anything else is a logged 500. */
export function handleError(err: Error, c: Context<AppEnv>): Response {
  const requestId = c.get("requestId");
  const answer = errorAnswer(err, requestId);
  if (answer.unexpected) c.get("log")?.error({ err, requestId }, "unhandled error");
  for (const [name, value] of Object.entries(answer.headers)) c.header(name, value);
  return c.json(answer.body, answer.status);
}

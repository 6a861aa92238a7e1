/** The closed set of error codes of the HTTP API, each with its status (SPEC §6). */
export const errorStatus = {
  invalid_request: 400,
  invalid_user: 400,
  unauthorized: 401,
  not_admitted: 403,
  forbidden: 403,
  not_found: 404,
  event_not_found: 404,
  not_in_queue: 404,
  already_issued: 409,
  /** Cancelling a scheduled change that has already applied or been cancelled. */
  change_not_pending: 409,
  /** A name already taken (admin tokens: names are never reused). */
  name_taken: 409,
  event_not_open: 409,
  /** Entry is closed by the operator (kill switch): nobody new joins; waiters are still served. */
  entry_closed: 409,
  sold_out: 410,
  payload_too_large: 413,
  too_many_requests: 429,
  internal_error: 500,
  service_unavailable: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;
export type ErrorStatus = (typeof errorStatus)[ErrorCode];

export interface ErrorBody {
  error: { code: ErrorCode; message: string; requestId?: string };
}

/** The only error type handlers throw; `onError` turns it into `{"error":{code,message}}`. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly status: ErrorStatus;
  /** Seconds, sent as `Retry-After` (a 429 always has it). */
  readonly retryAfter: number | undefined;

  constructor(code: ErrorCode, message: string, options: { retryAfter?: number; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = "ApiError";
    this.code = code;
    this.status = errorStatus[code];
    this.retryAfter = options.retryAfter;
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === "string" && Object.hasOwn(errorStatus, value);
}

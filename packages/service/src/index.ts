export { createBaseApp, MAX_BODY_BYTES } from "./app";
export {
  ADMIN_COOKIE,
  ADMIN_SESSION_MS,
  adminSession,
  assertSameOrigin,
  isSameOrigin,
  requireAdmin,
  setRequestAuthorization,
  verifyAdminSession,
} from "./auth";
export type { AppEnv } from "./context";
export * from "./env";
export { errorAnswer, errorResponse, handleError } from "./errors";
export { counter, createMetrics, type Metrics } from "./metrics";
export {
  type Answer,
  type AnyRoute,
  answerBytes,
  createRawCore,
  mountRoutes,
  type Route,
  type RouteContext,
} from "./raw";
export { requestId, requestIdOf } from "./request-id";
export { type FastPath, listen, type RunningServer, runMain } from "./serve";
export { requireUser, validate } from "./validate";

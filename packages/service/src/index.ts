export {
  ADMIN_COOKIE,
  ADMIN_SESSION_MS,
  type AdminActor,
  type AdminAuth,
  type AdminTokenLookup,
  actorLabel,
  BOOTSTRAP_TOKEN_NAME,
  createAdminAuth,
  hashAdminToken,
  newAdminToken,
} from "./admin-auth";
export { createBaseApp, MAX_BODY_BYTES } from "./app";
export {
  ACTOR_HEADER,
  type AdminApiOptions,
  AUDIT_SIGNATURE_HEADER,
  type AuditEntry,
  type AuditRecorder,
  adminApi,
  recordSafely,
} from "./audit";
export {
  assertSameOrigin,
  isSameOrigin,
  requireAdmin,
  setRequestAuthorization,
  UNSAFE_METHODS,
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

import type { IdentityResolver } from "@rushgate/identity";
import type { Logger } from "@rushgate/logger";
import type { Keys, RedisClient } from "@rushgate/redis";
import {
  type AdminAuth,
  type AppEnv,
  type AuditRecorder,
  adminApi,
  createBaseApp,
  type Metrics,
  mountRoutes,
} from "@rushgate/service";
import type { Hono } from "hono";
import type { Counter } from "prom-client";
import type { RouterEnv } from "./env";
import type { Gate } from "./gate";
import { registerPages } from "./pages";
import type { QueueDeps, StreamHub } from "./queue";
import { type Budgets, limitAddress } from "./rate-limit";
import { registerAdminTraffic } from "./routes/admin-traffic";
import { apiRoutes } from "./routes/api";
import { registerForwarded } from "./routes/forwarded";
import { registerQueueEvents } from "./routes/queue-events";
import type { Upstream } from "./upstream";

export interface RouterDeps {
  env: RouterEnv;
  redis: RedisClient;
  keys: Keys;
  gate: Gate;
  /** Redis and the admission secret, for the queue's requests (queue/index.ts). */
  queue: QueueDeps;
  /** The open event streams of this router (GET /api/queue/:eventId/events). */
  streams: StreamHub;
  coupon: Upstream;
  logger: Logger;
  adminAuth: AdminAuth;
  /** Where the audit entries of what the router serves itself go (audit.ts). */
  audit: AuditRecorder;
  /** Who the user is (SPEC §2); also used by the raw fast path. */
  identity: IdentityResolver;
  /** Rate-limit budgets of every public route group, spent alike on both paths (routes/api.ts). */
  budgets: Budgets;
  metrics: Metrics & { gateDecisions: Counter<"decision"> };
}

export function createApp(deps: RouterDeps): Hono<AppEnv> {
  const app = createBaseApp({
    logger: deps.logger,
    metrics: deps.metrics,
    ready: async () => {
      await deps.redis.ping();
    },
  });
  // Every public route spends its group's per-address budget here, before anything else; the
  // per-user budget is spent once the identity is known (identify(), browserUser()). The event
  // page is an entry, the waiting-room page a status poll, the coupon form an issue.
  const routes: [keyof Budgets, string[]][] = [
    ["entry", ["/api/events/:eventId/entry", "/events/:eventId"]],
    ["status", ["/api/queue/:eventId/status", "/api/queue/:eventId/events", "/queue/:eventId"]],
    ["leave", ["/api/queue/:eventId"]],
    ["events", ["/api/events", "/api/events/:eventId"]],
    ["issue", ["/api/events/:eventId/issue", "/events/:eventId/issue"]],
    ["coupons", ["/api/me/coupons"]],
    ["pages", ["/", "/assets/*"]],
    ["admin", ["/admin", "/admin/*"]],
  ];
  for (const [name, paths] of routes) {
    const limit = limitAddress(deps.budgets[name], deps.identity);
    for (const path of paths) app.use(path, limit);
  }
  // Every admin API route, the router's own and the forwarded ones, is authenticated here; the
  // router's own unsafe ones are audited here too (forwarded ones by the coupon server).
  app.use(
    "/admin/api/*",
    adminApi({ auth: deps.adminAuth, record: deps.audit, source: "router", trustActorHeader: false }),
  );
  mountRoutes(app, apiRoutes(deps));
  registerQueueEvents(app, deps);
  registerForwarded(app, deps);
  registerAdminTraffic(app, deps);
  registerPages(app, deps);
  return app;
}

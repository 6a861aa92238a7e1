import type { Database, Db } from "@rushgate/db";
import { appendAudit } from "@rushgate/db";
import type { Logger } from "@rushgate/logger";
import type { AdminTokenStore, Keys, RedisClient } from "@rushgate/redis";
import {
  type AdminAuth,
  type AppEnv,
  adminApi,
  createBaseApp,
  type Metrics,
  mountRoutes,
} from "@rushgate/service";
import type { Queue } from "bullmq";
import type { Hono } from "hono";
import type { Counter, Histogram } from "prom-client";
import type { Enqueuer } from "./enqueue";
import type { CouponEnv } from "./env";
import type { EventCache } from "./events";
import type { IssueDecider } from "./issue";
import { registerAdminAdmissions } from "./routes/admin-admissions";
import { registerAdminAudit } from "./routes/admin-audit";
import { registerAdminChanges } from "./routes/admin-changes";
import { registerAdminEvents } from "./routes/admin-events";
import { registerAdminSwitches } from "./routes/admin-switches";
import { registerAdminTokens } from "./routes/admin-tokens";
import { registerEvents } from "./routes/events";
import { issueRoute } from "./routes/issue";
import { registerMe } from "./routes/me";

export interface CouponDeps {
  env: CouponEnv;
  redis: RedisClient;
  keys: Keys;
  db: Db;
  database: Database;
  queue: Queue;
  enqueuer: Enqueuer;
  /** Issue decisions, batched per event and turn of the event loop (issue.ts). */
  decide: IssueDecider;
  events: EventCache;
  logger: Logger;
  /** Named admin tokens: Redis's copy that every server checks (MySQL is the record). */
  adminTokens: AdminTokenStore;
  adminAuth: AdminAuth;
  metrics: Metrics & { issues: Counter<"outcome">; enqueueBatch: Histogram };
}

export function createApp(deps: CouponDeps): Hono<AppEnv> {
  const app = createBaseApp({
    logger: deps.logger,
    metrics: deps.metrics,
    // Ready means "can issue": that needs Redis only. MySQL being away must not take coupon
    // servers out of rotation (issuing goes on and the issuer catches up), so it is not checked.
    ready: async () => {
      await deps.redis.ping();
    },
  });
  // Every admin route (also those other modules add) is authenticated and audited here, once.
  app.use(
    "/admin/api/*",
    adminApi({
      auth: deps.adminAuth,
      record: (entry) => appendAudit(deps.db, entry),
      source: "coupon",
      trustActorHeader: true,
    }),
  );
  mountRoutes(app, [issueRoute(deps)]);
  registerEvents(app, deps);
  registerMe(app, deps);
  registerAdminEvents(app, deps);
  registerAdminSwitches(app, deps);
  registerAdminAdmissions(app, deps);
  registerAdminChanges(app, deps);
  registerAdminTokens(app, deps);
  registerAdminAudit(app, deps);
  return app;
}

import type { Database, Db } from "@rushgate/db";
import type { Logger } from "@rushgate/logger";
import type { Keys, RedisClient } from "@rushgate/redis";
import { type AppEnv, createBaseApp, type Metrics, mountRoutes } from "@rushgate/service";
import type { Queue } from "bullmq";
import type { Hono } from "hono";
import type { Counter, Histogram } from "prom-client";
import type { Enqueuer } from "./enqueue";
import type { CouponEnv } from "./env";
import type { EventCache } from "./events";
import { registerAdminAdmissions } from "./routes/admin-admissions";
import { registerAdminChanges } from "./routes/admin-changes";
import { registerAdminEvents } from "./routes/admin-events";
import { registerAdminSwitches } from "./routes/admin-switches";
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
  events: EventCache;
  logger: Logger;
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
  mountRoutes(app, [issueRoute(deps)]);
  registerEvents(app, deps);
  registerMe(app, deps);
  registerAdminEvents(app, deps);
  registerAdminSwitches(app, deps);
  registerAdminAdmissions(app, deps);
  registerAdminChanges(app, deps);
  return app;
}

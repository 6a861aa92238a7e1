import type { Db } from "@rushgate/db";
import type { Logger } from "@rushgate/logger";
import type { RedisClient } from "@rushgate/redis";
import { type AppEnv, createBaseApp, type Metrics } from "@rushgate/service";
import { sql } from "drizzle-orm";
import type { Hono } from "hono";

export interface IssuerDeps {
  redis: RedisClient;
  db: Db;
  logger: Logger;
  metrics: Metrics;
}

/** The issuer serves no API: health, readiness and metrics only. */
export function createApp(deps: IssuerDeps): Hono<AppEnv> {
  return createBaseApp({
    logger: deps.logger,
    metrics: deps.metrics,
    ready: async () => {
      await Promise.all([deps.redis.ping(), deps.db.execute(sql`SELECT 1`)]);
    },
  });
}

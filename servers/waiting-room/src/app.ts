import type { Logger } from "@rushgate/logger";
import type { Keys, RedisClient } from "@rushgate/redis";
import { type AppEnv, createBaseApp, type Metrics } from "@rushgate/service";
import type { Hono } from "hono";
import type { WaitingRoomEnv } from "./env";

export interface WaitingRoomDeps {
  env: WaitingRoomEnv;
  redis: RedisClient;
  keys: Keys;
  logger: Logger;
  metrics: Metrics;
}

/**
 * The waiting room's own HTTP surface is operational only (health, readiness, metrics): its work
 * is the scheduler, and the queue's requests are answered by the router from Redis (SPEC §4).
 */
export function createApp(deps: WaitingRoomDeps): Hono<AppEnv> {
  const app = createBaseApp({
    logger: deps.logger,
    metrics: deps.metrics,
    ready: async () => {
      await deps.redis.ping();
    },
  });
  return app;
}

import type { Logger } from "@rushgate/logger";
import type { Keys, RedisClient } from "@rushgate/redis";
import { type AppEnv, createBaseApp, type Metrics } from "@rushgate/service";
import type { Hono } from "hono";
import type { WaitingRoomEnv } from "./env";
import { registerEntry } from "./routes/entry";
import { registerLeave } from "./routes/leave";
import { registerStatus } from "./routes/status";

export interface WaitingRoomDeps {
  env: WaitingRoomEnv;
  redis: RedisClient;
  keys: Keys;
  logger: Logger;
  metrics: Metrics;
}

export function createApp(deps: WaitingRoomDeps): Hono<AppEnv> {
  const app = createBaseApp({
    logger: deps.logger,
    metrics: deps.metrics,
    ready: async () => {
      await deps.redis.ping();
    },
  });
  registerEntry(app, deps);
  registerStatus(app, deps);
  registerLeave(app, deps);
  return app;
}

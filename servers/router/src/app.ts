import type { Logger } from "@rushgate/logger";
import type { Keys } from "@rushgate/redis";
import { type AppEnv, createBaseApp, type Metrics } from "@rushgate/service";
import type { Hono } from "hono";
import type { Redis } from "ioredis";
import type { Counter } from "prom-client";
import type { RouterEnv } from "./env";
import type { Gate } from "./gate";
import { registerAdminTraffic } from "./routes/admin-traffic";
import { registerEntry } from "./routes/entry";
import { registerForwarded } from "./routes/forwarded";
import type { Upstream } from "./upstream";

export interface RouterDeps {
  env: RouterEnv;
  redis: Redis;
  keys: Keys;
  gate: Gate;
  waitingRoom: Upstream;
  coupon: Upstream;
  logger: Logger;
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
  registerEntry(app, deps);
  registerForwarded(app, deps);
  registerAdminTraffic(app, deps);
  return app;
}

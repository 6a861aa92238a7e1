import type { Logger } from "@rushgate/logger";
import type { Keys, RedisClient } from "@rushgate/redis";
import { type AppEnv, createBaseApp, type Metrics, mountRoutes } from "@rushgate/service";
import type { Hono } from "hono";
import type { Counter } from "prom-client";
import type { RouterEnv } from "./env";
import type { Gate } from "./gate";
import { registerPages } from "./pages";
import type { QueueDeps } from "./queue";
import { type Budget, rateLimit } from "./rate-limit";
import { registerAdminTraffic } from "./routes/admin-traffic";
import { apiRoutes } from "./routes/api";
import { registerForwarded } from "./routes/forwarded";
import type { Upstream } from "./upstream";

export interface RouterDeps {
  env: RouterEnv;
  redis: RedisClient;
  keys: Keys;
  gate: Gate;
  /** Redis and the admission secret, for the queue's requests (queue/index.ts). */
  queue: QueueDeps;
  coupon: Upstream;
  logger: Logger;
  /** Rate-limit budgets, shared with the raw fast path (fast-path.ts). */
  budgets: { entry: Budget; status: Budget };
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
  // The event page is an entry and the waiting-room page a status poll: same budgets as the API
  // routes, which spend theirs in the handler (routes/api.ts), on both paths.
  app.use("/events/:eventId", rateLimit(deps.budgets.entry, deps.env.TRUST_PROXY));
  app.use("/queue/:eventId", rateLimit(deps.budgets.status, deps.env.TRUST_PROXY));
  mountRoutes(app, apiRoutes(deps));
  registerForwarded(app, deps);
  registerAdminTraffic(app, deps);
  registerPages(app, deps);
  return app;
}

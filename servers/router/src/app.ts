import type { Logger } from "@rushgate/logger";
import type { Keys, RedisClient } from "@rushgate/redis";
import { type AppEnv, createBaseApp, type Metrics } from "@rushgate/service";
import type { Hono } from "hono";
import type { Counter } from "prom-client";
import type { RouterEnv } from "./env";
import type { Gate } from "./gate";
import { registerPages } from "./pages";
import { type Budget, rateLimit } from "./rate-limit";
import { registerAdminTraffic } from "./routes/admin-traffic";
import { registerEntry } from "./routes/entry";
import { registerForwarded } from "./routes/forwarded";
import type { Upstream } from "./upstream";

export interface RouterDeps {
  env: RouterEnv;
  redis: RedisClient;
  keys: Keys;
  gate: Gate;
  waitingRoom: Upstream;
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
  // The event page is an entry and the waiting-room page a status poll: same budgets.
  const entryLimit = rateLimit(deps.budgets.entry, deps.env.TRUST_PROXY);
  const statusLimit = rateLimit(deps.budgets.status, deps.env.TRUST_PROXY);
  app.use("/api/events/:eventId/entry", entryLimit);
  app.use("/events/:eventId", entryLimit);
  app.use("/api/queue/:eventId/status", statusLimit);
  app.use("/queue/:eventId", statusLimit);
  registerEntry(app, deps);
  registerForwarded(app, deps);
  registerAdminTraffic(app, deps);
  registerPages(app, deps);
  return app;
}

import { ISSUANCE_QUEUE, issuanceJobOptions } from "@rushgate/api";
import { createDb } from "@rushgate/db";
import { createLogger } from "@rushgate/logger";
import { closeRedis, createKeys, createRedis } from "@rushgate/redis";
import { counter, createMetrics, listen, metricsPort, type RunningServer } from "@rushgate/service";
import { Queue } from "bullmq";
import { type CouponDeps, createApp } from "./app";
import { type CouponEnv, parseCouponEnv } from "./env";
import { createEventCache } from "./events";

export async function startCoupon(env: CouponEnv): Promise<RunningServer> {
  const logger = createLogger({ service: "coupon", level: env.LOG_LEVEL });
  const redis = createRedis(env.REDIS_URL, {
    name: `rushgate-coupon-${env.REDIS_PREFIX}`,
    clusterNodes: env.REDIS_CLUSTER_NODES,
  });
  const keys = createKeys(env.REDIS_PREFIX);
  const database = createDb(env.DATABASE_URL);
  const queue = new Queue(ISSUANCE_QUEUE, {
    connection: redis,
    prefix: keys.bullPrefix,
    defaultJobOptions: issuanceJobOptions,
  });
  const metrics = createMetrics("coupon");
  const issues = counter(metrics, "rushgate_issue_requests_total", "Issue requests by outcome", ["outcome"]);
  const db = database.db;
  const events = createEventCache({ db, redis, keys, logger });
  const deps: CouponDeps = {
    env,
    redis,
    keys,
    db,
    database,
    queue,
    events,
    logger,
    metrics: { ...metrics, issues },
  };
  const app = createApp(deps);
  return listen({
    app,
    port: env.PORT,
    host: env.HOST,
    metrics: { registry: metrics.registry, port: metricsPort(env) },
    drainMs: env.SHUTDOWN_DRAIN_MS,
    logger,
    onClose: async () => {
      await queue.close();
      await closeRedis(redis);
      await database.close();
    },
  });
}

export { parseCouponEnv };

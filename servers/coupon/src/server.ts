import { ISSUANCE_QUEUE, issuanceJobOptions } from "@rushgate/api";
import { createDb, type Database } from "@rushgate/db";
import { createLogger } from "@rushgate/logger";
import { adminTokenStore, closeRedis, createKeys, createRedis } from "@rushgate/redis";
import {
  counter,
  createAdminAuth,
  createMetrics,
  createRawCore,
  listen,
  metricsPort,
  type RunningServer,
} from "@rushgate/service";
import { Queue } from "bullmq";
import { Histogram } from "prom-client";
import { warmAdminTokensIfCold } from "./admin-tokens";
import { type CouponDeps, createApp } from "./app";
import { createEnqueuer } from "./enqueue";
import { type CouponEnv, parseCouponEnv } from "./env";
import { createEventCache } from "./events";
import { createIssueDecider } from "./issue";
import { issueRoute } from "./routes/issue";

/** Everything the coupon server's routes use, built once; `database` may be given (tests). */
export function createCouponDeps(
  env: CouponEnv,
  database: Database = createDb(env.DATABASE_URL),
): CouponDeps {
  const logger = createLogger({ service: "coupon", level: env.LOG_LEVEL });
  const redis = createRedis(env.REDIS_URL, {
    name: `rushgate-coupon-${env.REDIS_PREFIX}`,
    clusterNodes: env.REDIS_CLUSTER_NODES,
    // Commands issued in one tick share one write (the issue decisions of different events, the
    // event reads), so more issues finish in the same tick and share one addBulk.
    autoPipeline: true,
  });
  const keys = createKeys(env.REDIS_PREFIX);
  const queue = new Queue(ISSUANCE_QUEUE, {
    connection: redis,
    prefix: keys.bullPrefix,
    defaultJobOptions: issuanceJobOptions,
  });
  const metrics = createMetrics("coupon");
  const issues = counter(metrics, "rushgate_issue_requests_total", "Issue requests by outcome", ["outcome"]);
  // Each observation is one addBulk (one Redis round trip): _count / issued is its share per issue.
  const enqueueBatch = new Histogram({
    name: "rushgate_enqueue_batch_size",
    help: "Issuance jobs per addBulk sent to Redis",
    buckets: [1, 2, 5, 10, 20, 50, 100, 200],
    registers: [metrics.registry],
  });
  const enqueuer = createEnqueuer(queue, logger, {
    maxBatch: env.ENQUEUE_MAX_BATCH,
    onBatch: (size) => enqueueBatch.observe(size),
  });
  const db = database.db;
  const events = createEventCache({ db, redis, keys, logger }, { missTtlMs: env.EVENT_MISS_TTL_MS });
  const adminTokens = adminTokenStore(redis, keys);
  const adminAuth = createAdminAuth({
    bootstrapToken: env.ADMIN_TOKEN,
    tokens: adminTokens,
    reload: async () => {
      await warmAdminTokensIfCold({ db, logger, adminTokens });
    },
  });
  return {
    env,
    adminTokens,
    adminAuth,
    redis,
    keys,
    db,
    database,
    queue,
    enqueuer,
    decide: createIssueDecider(redis, keys),
    events,
    logger,
    metrics: { ...metrics, issues, enqueueBatch },
  };
}

export async function closeCouponDeps(deps: CouponDeps): Promise<void> {
  await deps.queue.close();
  await closeRedis(deps.redis);
  await deps.database.close();
}

export async function startCoupon(env: CouponEnv): Promise<RunningServer> {
  const deps = createCouponDeps(env);
  const { logger } = deps;
  // Not awaited: the coupon server starts (and issues) while MySQL is away; a lookup that finds
  // the copy missing asks again (createAdminAuth's reload).
  void warmAdminTokensIfCold(deps).catch((err) => logger.warn({ err }, "admin tokens not warmed yet"));
  return listen({
    app: createApp(deps),
    port: env.PORT,
    host: env.HOST,
    metrics: { registry: deps.metrics.registry, port: metricsPort(env) },
    drainMs: env.SHUTDOWN_DRAIN_MS,
    fastPath: createRawCore({ routes: [issueRoute(deps)], metrics: deps.metrics, logger: deps.logger }),
    logger,
    onClose: () => closeCouponDeps(deps),
  });
}

export { parseCouponEnv };

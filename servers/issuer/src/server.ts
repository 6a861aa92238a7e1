import { ISSUANCE_QUEUE, issuanceJobOptions } from "@rushgate/api";
import { createDb } from "@rushgate/db";
import { createLogger } from "@rushgate/logger";
import { closeRedis, createKeys, createRedis } from "@rushgate/redis";
import { counter, createMetrics, listen, metricsPort, type RunningServer } from "@rushgate/service";
import { Queue } from "bullmq";
import { Histogram } from "prom-client";
import { startLogDrainer } from "./admission-log";
import { createApp } from "./app";
import { startChangeWriteBack } from "./changes";
import { type IssuerEnv, parseIssuerEnv } from "./env";
import { startReconciler } from "./reconciler";
import { createIssuerWorker } from "./worker";

export async function startIssuer(env: IssuerEnv): Promise<RunningServer> {
  const logger = createLogger({ service: "issuer", level: env.LOG_LEVEL });
  const redis = createRedis(env.REDIS_URL, {
    name: `rushgate-issuer-${env.REDIS_PREFIX}`,
    clusterNodes: env.REDIS_CLUSTER_NODES,
    blocking: true,
  });
  const keys = createKeys(env.REDIS_PREFIX);
  const database = createDb(env.DATABASE_URL, { connectionLimit: 8 });
  const metrics = createMetrics("issuer");
  const queue = new Queue(ISSUANCE_QUEUE, {
    connection: redis,
    prefix: keys.bullPrefix,
    defaultJobOptions: issuanceJobOptions,
  });
  const worker = createIssuerWorker({
    redis,
    keys,
    db: database.db,
    concurrency: env.ISSUER_CONCURRENCY,
    batchSize: env.ISSUER_BATCH_SIZE,
    batchWaitMs: env.ISSUER_BATCH_WAIT_MS,
    lockMs: env.ISSUER_LOCK_MS,
    log: logger.child({ component: "worker" }),
    metrics: {
      persisted: counter(metrics, "rushgate_issuances_persisted_total", "Issuances written to MySQL"),
      batchSize: new Histogram({
        name: "rushgate_issuer_batch_size",
        help: "Rows per multi-row insert",
        buckets: [1, 5, 10, 50, 100, 250, 500, 1000],
        registers: [metrics.registry],
      }),
    },
  });
  const reconciler = startReconciler({
    redis,
    keys,
    db: database.db,
    queue,
    log: logger.child({ component: "reconciler" }),
    minAgeMs: env.RECONCILE_MIN_AGE_MS,
    retentionMs: env.EVENT_RETENTION_SECONDS * 1000,
    intervalMs: env.RECONCILE_INTERVAL_MS,
  });
  const logDrainer = startLogDrainer({
    redis,
    keys,
    db: database.db,
    log: logger.child({ component: "admission-log" }),
    intervalMs: env.ADMISSION_LOG_DRAIN_MS,
  });
  const changes = startChangeWriteBack({
    redis,
    keys,
    db: database.db,
    log: logger.child({ component: "changes" }),
    intervalMs: 1_000,
  });
  worker.start();
  const app = createApp({ redis, db: database.db, logger, metrics });
  return listen({
    app,
    port: env.PORT,
    host: env.HOST,
    metrics: { registry: metrics.registry, port: metricsPort(env) },
    drainMs: env.SHUTDOWN_DRAIN_MS,
    logger,
    onClose: async () => {
      await reconciler.stop();
      await logDrainer.stop();
      await changes.stop();
      await worker.stop();
      await queue.close();
      await closeRedis(redis);
      await database.close();
    },
  });
}

export { parseIssuerEnv };

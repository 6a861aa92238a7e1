import { createLogger } from "@rushgate/logger";
import { closeRedis, createKeys, createRedis } from "@rushgate/redis";
import { counter, createMetrics, listen, metricsPort, type RunningServer } from "@rushgate/service";
import { Histogram } from "prom-client";
import { createApp } from "./app";
import { parseWaitingRoomEnv, type WaitingRoomEnv } from "./env";
import { createScheduler } from "./scheduler";

export async function startWaitingRoom(env: WaitingRoomEnv): Promise<RunningServer> {
  const logger = createLogger({ service: "waiting-room", level: env.LOG_LEVEL });
  const redis = createRedis(env.REDIS_URL, {
    name: `rushgate-waiting-room-${env.REDIS_PREFIX}`,
    clusterNodes: env.REDIS_CLUSTER_NODES,
    // The scheduler's calls are few and sequential: nothing to batch.
    autoPipeline: false,
  });
  const keys = createKeys(env.REDIS_PREFIX);
  const metrics = createMetrics("waiting-room");
  const scheduler = createScheduler({
    redis,
    keys,
    tickMs: env.SCHEDULER_TICK_MS,
    leaseMs: env.SCHEDULER_LEASE_MS,
    log: logger.child({ component: "scheduler" }),
    metrics: {
      admitted: counter(metrics, "rushgate_scheduler_admitted_total", "Users moved from waiting to running"),
      tickSeconds: new Histogram({
        name: "rushgate_scheduler_tick_seconds",
        help: "Duration of scheduler ticks while leader",
        buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
        registers: [metrics.registry],
      }),
    },
  });
  const deps = { env, redis, keys, logger, metrics };
  const app = createApp(deps);
  if (env.SCHEDULER_ENABLED) scheduler.start();
  return listen({
    app,
    port: env.PORT,
    host: env.HOST,
    metrics: { registry: metrics.registry, port: metricsPort(env) },
    drainMs: env.SHUTDOWN_DRAIN_MS,
    logger,
    onClose: async () => {
      await scheduler.stop();
      await closeRedis(redis);
    },
  });
}

export { parseWaitingRoomEnv };

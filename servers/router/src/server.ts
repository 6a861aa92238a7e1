import { createLogger } from "@rushgate/logger";
import { adminTokenStore, closeRedis, createKeys, createRedis } from "@rushgate/redis";
import {
  type AppEnv,
  counter,
  createAdminAuth,
  createMetrics,
  createRawCore,
  listen,
  metricsPort,
  type RunningServer,
} from "@rushgate/service";
import type { Hono } from "hono";
import { Gauge } from "prom-client";
import { createApp, type RouterDeps } from "./app";
import { auditThroughCoupon, reloadTokensThroughCoupon } from "./audit";
import { parseRouterEnv, type RouterEnv } from "./env";
import { createGate } from "./gate";
import { createIdentity } from "./identity";
import { createQueueDeps, createStreamHub, type StreamHub } from "./queue";
import { createBudgets } from "./rate-limit";
import { apiRoutes } from "./routes/api";
import { call, createUpstream } from "./upstream";

/** Builds the router's dependencies once and starts listening; `close()` shuts down gracefully. */
export async function startRouter(
  env: RouterEnv,
): Promise<RunningServer & { app: Hono<AppEnv>; streams: StreamHub }> {
  const logger = createLogger({ service: "router", level: env.LOG_LEVEL });
  const redis = createRedis(env.REDIS_URL, {
    name: `rushgate-router-${env.REDIS_PREFIX}`,
    clusterNodes: env.REDIS_CLUSTER_NODES,
    autoPipeline: true,
  });
  const keys = createKeys(env.REDIS_PREFIX);
  const coupon = createUpstream("coupon", env.COUPON_URL, env.UPSTREAM_CONNECTIONS);
  const metrics = createMetrics("router");
  const gateDecisions = counter(metrics, "rushgate_gate_decisions_total", "Gate decisions by outcome", [
    "decision",
  ]);
  const gate = createGate({
    redis,
    keys,
    syncMs: env.GATE_SYNC_MS,
    defaultThreshold: env.DEFAULT_RPM_THRESHOLD,
    log: logger,
    warm: async (eventId) => {
      // The coupon server re-warms an event's Redis copy from MySQL when it is asked about it.
      const res = await call(coupon, { method: "GET", path: `/api/events/${eventId}`, headers: {} }, logger);
      return res.status === 200;
    },
  });
  const limits = {
    userPerSec: env.RATE_LIMIT_USER_PER_SEC,
    userBurst: env.RATE_LIMIT_USER_BURST,
    ipPerSec: env.RATE_LIMIT_IP_PER_SEC,
    ipBurst: env.RATE_LIMIT_IP_BURST,
  };
  const adminAuth = createAdminAuth({
    bootstrapToken: env.ADMIN_TOKEN,
    tokens: adminTokenStore(redis, keys),
    // No MySQL here: a coupon server refills the copy when this router finds it gone.
    reload: () => reloadTokensThroughCoupon(coupon, adminAuth),
  });
  const queue = createQueueDeps({ redis, keys, secret: env.ADMISSION_SECRET });
  const streams = createStreamHub({
    queue,
    log: logger,
    tickMs: env.STREAM_TICK_MS,
    heartbeatMs: env.STREAM_HEARTBEAT_MS,
  });
  new Gauge({
    name: "rushgate_event_streams_open",
    help: "Open event streams (GET /api/queue/:eventId/events) on this router",
    registers: [metrics.registry],
    collect() {
      this.set(streams.size());
    },
  });
  const deps: RouterDeps = {
    env,
    adminAuth,
    audit: auditThroughCoupon(coupon, adminAuth),
    redis,
    keys,
    gate,
    queue,
    streams,
    coupon,
    logger,
    metrics: { ...metrics, gateDecisions },
    identity: createIdentity(env),
    budgets: createBudgets(limits),
  };
  const app = createApp(deps);
  gate.start();
  const running = await listen({
    app,
    port: env.PORT,
    host: env.HOST,
    metrics: { registry: metrics.registry, port: metricsPort(env) },
    drainMs: env.SHUTDOWN_DRAIN_MS,
    fastPath: createRawCore({ routes: apiRoutes(deps), metrics: deps.metrics, logger }),
    logger,
    onClose: async () => {
      await gate.stop();
      await coupon.close();
      await closeRedis(redis);
    },
  });
  const closeListener = running.close;
  // The app itself, for tests that compare its answers with the raw core's (parity.test.ts).
  return Object.assign(running, {
    app,
    streams,
    async close() {
      // Open streams would hold the listener open until the grace period: end them first, and
      // their clients reconnect (to another router).
      streams.close();
      await closeListener();
    },
  });
}

export { parseRouterEnv };

import { createLogger } from "@rushgate/logger";
import { closeRedis, createKeys, createRedis } from "@rushgate/redis";
import { counter, createMetrics, listen, metricsPort, type RunningServer } from "@rushgate/service";
import { createApp, type RouterDeps } from "./app";
import { parseRouterEnv, type RouterEnv } from "./env";
import { createFastPath } from "./fast-path";
import { createGate } from "./gate";
import { createBudget } from "./rate-limit";
import { createUpstream } from "./upstream";

/** Builds the router's dependencies once and starts listening; `close()` shuts down gracefully. */
export async function startRouter(env: RouterEnv): Promise<RunningServer> {
  const logger = createLogger({ service: "router", level: env.LOG_LEVEL });
  const redis = createRedis(env.REDIS_URL, {
    name: `rushgate-router-${env.REDIS_PREFIX}`,
    clusterNodes: env.REDIS_CLUSTER_NODES,
    autoPipeline: true,
  });
  const keys = createKeys(env.REDIS_PREFIX);
  const waitingRoom = createUpstream("waiting-room", env.WAITING_ROOM_URL, env.UPSTREAM_CONNECTIONS);
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
      const res = await coupon.pool.request({ method: "GET", path: `/api/events/${eventId}` });
      await res.body.dump();
      return res.statusCode === 200;
    },
  });
  const limits = {
    userPerSec: env.RATE_LIMIT_USER_PER_SEC,
    userBurst: env.RATE_LIMIT_USER_BURST,
    ipPerSec: env.RATE_LIMIT_IP_PER_SEC,
    ipBurst: env.RATE_LIMIT_IP_BURST,
  };
  const deps: RouterDeps = {
    env,
    redis,
    keys,
    gate,
    waitingRoom,
    coupon,
    logger,
    metrics: { ...metrics, gateDecisions },
    budgets: { entry: createBudget("entry", limits), status: createBudget("status", limits) },
  };
  const app = createApp(deps);
  gate.start();
  return listen({
    app,
    port: env.PORT,
    host: env.HOST,
    metrics: { registry: metrics.registry, port: metricsPort(env) },
    drainMs: env.SHUTDOWN_DRAIN_MS,
    fastPath: createFastPath(deps),
    logger,
    onClose: async () => {
      await gate.stop();
      await Promise.all([waitingRoom.pool.close(), coupon.pool.close()]);
      await closeRedis(redis);
    },
  });
}

export { parseRouterEnv };

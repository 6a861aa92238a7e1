import { parseCouponEnv, startCoupon } from "@rushgate/coupon";
import { parseIssuerEnv, startIssuer } from "@rushgate/issuer";
import { parseRouterEnv, startRouter } from "@rushgate/router";
import {
  type RedisFixture,
  TEST_ADMIN_TOKEN,
  TEST_ADMISSION_SECRET,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  useRedis,
} from "@rushgate/testing";
import { parseWaitingRoomEnv, startWaitingRoom } from "@rushgate/waiting-room";
import { createClient } from "./client";

export interface PlatformOptions {
  redisUrl?: string;
  tickMs?: number;
  schedulerEnabled?: boolean;
  issuer?: boolean;
  gateSyncMs?: number;
  defaultThreshold?: number;
  /** Extra environment for every server (e.g. rate limits, which tests turn off by default). */
  env?: Record<string, string>;
}

/**
 * The four servers on real ports in this process, sharing a fresh Redis key prefix and the test
 * database; `client` talks to the router as users and the admin would.
 */
export async function startPlatform(options: PlatformOptions = {}) {
  const clusterNodes = options.env?.REDIS_CLUSTER_NODES?.split(",");
  const fx: RedisFixture = await useRedis(options.redisUrl ?? TEST_REDIS_URL, { clusterNodes });
  const common = {
    NODE_ENV: "test",
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    HOST: "127.0.0.1",
    PORT: "0",
    REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
    REDIS_PREFIX: fx.prefix,
    DATABASE_URL: TEST_DATABASE_URL,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    ADMISSION_SECRET: TEST_ADMISSION_SECRET,
    DEFAULT_RPM_THRESHOLD: String(options.defaultThreshold ?? 6000),
    SHUTDOWN_DRAIN_MS: "0",
    RATE_LIMIT_USER_PER_SEC: "0",
    RATE_LIMIT_IP_PER_SEC: "0",
    ...options.env,
  };
  const waitingRoom = await startWaitingRoom(
    parseWaitingRoomEnv({
      ...common,
      SCHEDULER_TICK_MS: String(options.tickMs ?? 100),
      SCHEDULER_ENABLED: String(options.schedulerEnabled ?? true),
    }),
  );
  const coupon = await startCoupon(parseCouponEnv(common));
  const issuer =
    options.issuer === false
      ? undefined
      : await startIssuer(parseIssuerEnv({ RECONCILE_INTERVAL_MS: "3600000", ...common }));
  const router = await startRouter(
    parseRouterEnv({
      ...common,
      COUPON_URL: coupon.url,
      GATE_SYNC_MS: String(options.gateSyncMs ?? 50),
    }),
  );
  return {
    ...fx,
    router,
    waitingRoom,
    coupon,
    issuer,
    client: createClient(router.url),
    /** The environment every server was started with, to start more instances alike. */
    env: common,
    async close() {
      await router.close();
      await Promise.all([waitingRoom.close(), coupon.close(), issuer?.close()]);
      await fx.cleanup();
    },
  };
}

export type Platform = Awaited<ReturnType<typeof startPlatform>>;

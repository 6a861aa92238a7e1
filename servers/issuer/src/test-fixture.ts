import { ISSUANCE_QUEUE, issuanceJobOptions } from "@rushgate/api";
import { countIssuances, type Db } from "@rushgate/db";
import { createLogger } from "@rushgate/logger";
import { createRedis, issue, type RedisClient } from "@rushgate/redis";
import { type RedisFixture, TEST_REDIS_URL, useDatabase, useRedis } from "@rushgate/testing";
import { Queue } from "bullmq";
import { afterAll, afterEach, beforeEach, expect } from "vitest";
import type { ReconcileDeps } from "./reconciler";
import { createIssuerWorker } from "./worker";

/**
 * What the issuer's integration tests share: a real Redis under a fresh prefix, the test
 * database, the issuance queue, and the two things a test does to them (issue as a coupon server
 * would, drain with a real worker).
 */
export function useIssuerFixture() {
  const log = createLogger({ service: "test", level: "silent" });
  const database = useDatabase();
  const t = {} as { fx: RedisFixture; blocking: RedisClient; queue: Queue };
  beforeEach(async () => {
    t.fx = await useRedis();
    t.blocking = createRedis(TEST_REDIS_URL, { blocking: true });
    t.queue = new Queue(ISSUANCE_QUEUE, {
      connection: t.blocking,
      prefix: t.fx.keys.bullPrefix,
      defaultJobOptions: issuanceJobOptions,
    });
  });
  afterEach(async () => {
    await t.queue.close();
    t.blocking.disconnect();
    await t.fx.cleanup();
  });
  afterAll(() => database.close());

  return {
    log,
    database,
    get fx() {
      return t.fx;
    },
    get queue() {
      return t.queue;
    },
    deps(minAgeMs = 0, retentionMs = 3_600_000): ReconcileDeps {
      return {
        redis: t.blocking,
        keys: t.fx.keys,
        db: database.db,
        queue: t.queue,
        log,
        minAgeMs,
        retentionMs,
      };
    },
    /** What a coupon server does before it dies: the issue script ran, the enqueue never happened. */
    async issueThenCrash(eventId: number, userId: string) {
      const k = t.fx.keys.event(eventId);
      await t.fx.redis.zadd(k.running, Date.now() + 60_000, userId);
      const reply = await issue(t.fx.redis, k, { userId, couponId: `RG-${userId}` });
      expect(reply.kind).toBe("issued");
    },
    worker(db: Db = database.db) {
      return createIssuerWorker({
        redis: t.blocking,
        keys: t.fx.keys,
        db,
        concurrency: 50,
        batchSize: 50,
        batchWaitMs: 5,
        log,
      });
    },
    /** Runs a worker until MySQL has `expected` rows for the event and the queue is idle. */
    async drain(eventId: number, expected: number) {
      const worker = this.worker();
      worker.start();
      const deadline = Date.now() + 15_000;
      const idle = async () => {
        const counts = await t.queue.getJobCounts("wait", "active", "delayed", "prioritized");
        return Object.values(counts).every((n) => n === 0);
      };
      while (
        ((await countIssuances(database.db, { eventId })) < expected || !(await idle())) &&
        Date.now() < deadline
      ) {
        await new Promise((r) => setTimeout(r, 50));
      }
      await worker.stop();
    },
  };
}

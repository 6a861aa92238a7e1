import { ISSUANCE_QUEUE, issuanceJobId, issuanceJobOptions } from "@rushgate/api";
import { countIssuances } from "@rushgate/db";
import { createLogger } from "@rushgate/logger";
import { createRedis, issue, type RedisClient } from "@rushgate/redis";
import {
  createRedisEvent,
  type RedisFixture,
  TEST_REDIS_URL,
  useDatabase,
  useRedis,
} from "@rushgate/testing";
import { Queue } from "bullmq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { reconcile } from "./reconciler";
import { createIssuerWorker } from "./worker";

const log = createLogger({ service: "test", level: "silent" });
const database = useDatabase();
let fx: RedisFixture;
let blocking: RedisClient;
let queue: Queue;

beforeEach(async () => {
  fx = await useRedis();
  blocking = createRedis(TEST_REDIS_URL, { blocking: true });
  queue = new Queue(ISSUANCE_QUEUE, {
    connection: blocking,
    prefix: fx.keys.bullPrefix,
    defaultJobOptions: issuanceJobOptions,
  });
});
afterEach(async () => {
  await queue.close();
  blocking.disconnect();
  await fx.cleanup();
});

/** What a coupon server does before it dies: the issue script ran, the enqueue never happened. */
async function issueThenCrash(eventId: number, userId: string) {
  const k = fx.keys.event(eventId);
  await fx.redis.zadd(k.running, Date.now() + 60_000, userId);
  const reply = await issue(fx.redis, k, { userId, couponId: `RG-${userId}` });
  expect(reply.kind).toBe("issued");
}

function deps(minAgeMs = 0) {
  return { redis: blocking, keys: fx.keys, db: database.db, queue, log, minAgeMs };
}

async function drain(eventId: number, expected: number) {
  const worker = createIssuerWorker({
    redis: blocking,
    bullPrefix: fx.keys.bullPrefix,
    db: database.db,
    concurrency: 50,
    batchSize: 50,
    batchWaitMs: 5,
    log,
  });
  worker.start();
  const deadline = Date.now() + 15_000;
  const idle = async () => {
    const counts = await queue.getJobCounts("wait", "active", "delayed", "prioritized");
    return Object.values(counts).every((n) => n === 0);
  };
  while (
    ((await countIssuances(database.db, { eventId })) < expected || !(await idle())) &&
    Date.now() < deadline
  ) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await worker.stop();
}

describe("reconciler", () => {
  it("repairs an issuance whose process died between the Lua call and the enqueue: exactly one row", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { stock: 10 });
    await issueThenCrash(id, "lost-user");
    expect(await queue.getJob(issuanceJobId(id, "lost-user"))).toBeUndefined();

    expect(await reconcile(deps())).toMatchObject({ requeued: 1 });
    // Running again while the job waits changes nothing: the job id is deterministic.
    expect(await reconcile(deps())).toMatchObject({ requeued: 0 });

    await drain(id, 1);
    expect(await countIssuances(database.db, { eventId: id })).toBe(1);
    const [rows] = await database.pool.query(
      "SELECT user_id, coupon_id FROM coupon_issuances WHERE event_id = ?",
      [id],
    );
    expect(rows).toEqual([{ user_id: "lost-user", coupon_id: "RG-lost-user" }]);

    // Once the row exists there is nothing left to repair.
    expect(await reconcile(deps())).toMatchObject({ requeued: 0 });
    expect(await countIssuances(database.db, { eventId: id })).toBe(1);
  });

  it("leaves issuances younger than the minimum age alone: their enqueue may be in flight", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { stock: 10 });
    await issueThenCrash(id, "fresh");
    expect(await reconcile(deps(60_000))).toMatchObject({ checked: 0, requeued: 0 });
  });

  it("never duplicates: a job enqueued normally plus a reconcile plus a re-delivery make one row", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { stock: 10 });
    await issueThenCrash(id, "twice");
    const job = { eventId: id, userId: "twice", couponId: "RG-twice", issuedAt: Date.now() };
    await queue.add("issue", job, { jobId: issuanceJobId(id, "twice") });
    await reconcile(deps());
    await drain(id, 1);
    // The job was removed on completion; a late duplicate delivery is absorbed by UNIQUE(event_id, user_id).
    await queue.add("issue", job, { jobId: issuanceJobId(id, "twice") });
    expect(await queue.getJobCounts("wait")).toEqual({ wait: 1 });
    await drain(id, 1);
    expect(await queue.getJobCounts("wait", "completed", "failed")).toEqual({
      wait: 0,
      completed: 0,
      failed: 0,
    });
    expect(await countIssuances(database.db, { eventId: id })).toBe(1);
  });
});

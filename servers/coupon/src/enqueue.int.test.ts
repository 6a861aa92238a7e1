import { ISSUANCE_QUEUE, type IssuanceJob, issuanceJobId, issuanceJobOptions } from "@rushgate/api";
import { createLogger } from "@rushgate/logger";
import { type RedisFixture, useRedis } from "@rushgate/testing";
import { Queue } from "bullmq";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEnqueuer } from "./enqueue";

const log = createLogger({ service: "test", level: "silent" });
let fx: RedisFixture;
let queue: Queue;

beforeEach(async () => {
  fx = await useRedis();
  queue = new Queue(ISSUANCE_QUEUE, {
    connection: fx.redis,
    prefix: fx.keys.bullPrefix,
    defaultJobOptions: issuanceJobOptions,
  });
});
afterEach(async () => {
  await queue.close();
  await fx.cleanup();
});

const job = (i: number): IssuanceJob => ({
  eventId: 7,
  userId: `u${i}`,
  couponId: `RG-${i}`,
  issuedAt: 1_000 + i,
});

describe("the micro-batched enqueue", () => {
  it("sends the jobs of one tick in one addBulk and answers each caller once its job is in Redis", async () => {
    const batches: number[] = [];
    const enqueuer = createEnqueuer(queue, log, { maxBatch: 100, onBatch: (n) => batches.push(n) });
    const inRedis = await Promise.all(
      Array.from({ length: 250 }, async (_, i) => {
        expect(await enqueuer.enqueue(job(i))).toBe(true);
        return (await queue.getJob(issuanceJobId(7, `u${i}`)))?.data;
      }),
    );
    expect(batches).toEqual([100, 100, 50]);
    expect(inRedis).toEqual(Array.from({ length: 250 }, (_, i) => job(i)));
    const stored = await queue.getJob(issuanceJobId(7, "u0"));
    expect(stored?.opts).toMatchObject({ attempts: issuanceJobOptions.attempts, removeOnComplete: true });
  });

  it("makes no second job for an issuance enqueued again", async () => {
    const enqueuer = createEnqueuer(queue, log);
    await Promise.all([enqueuer.enqueue(job(1)), enqueuer.enqueue(job(1)), enqueuer.enqueue(job(2))]);
    expect(await enqueuer.enqueue(job(1))).toBe(true);
    expect(await queue.getWaitingCount()).toBe(2);
  });
});

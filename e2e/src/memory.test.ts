import { ISSUANCE_QUEUE, issuanceJobId, issuanceJobOptions } from "@rushgate/api";
import { createKeys, createRedis, enter, issue, type RedisClient } from "@rushgate/redis";
import { createRedisEvent, startScratchRedis } from "@rushgate/testing";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * Redis memory per user, the figures of docs/OPERATIONS.md ("Memory per user"): 10,000 users of
 * one event on a private redis-server, measured with MEMORY USAGE per key and the used_memory
 * delta. User ids are 13 characters ("user-00000042"), coupon ids 22 ("RG-XXXX-XXXX-XXXX-XXXX").
 * The bounds are loose on purpose: they catch a change of encoding or a key per user, not noise.
 */
const N = 10_000;
const users = Array.from({ length: N }, (_, i) => `user-${String(i).padStart(8, "0")}`);
let scratch: Awaited<ReturnType<typeof startScratchRedis>>;
let redis: RedisClient;
const keys = createKeys("mem");

beforeAll(async () => {
  scratch = await startScratchRedis();
  redis = createRedis(scratch.url, { blocking: true });
});
afterAll(async () => {
  redis.disconnect();
  await scratch.stop();
});

const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await redis.info("memory"))?.[1]);
const usage = async (...names: string[]) => {
  let total = 0;
  for (const name of names)
    total += Number((await (redis as Redis).memory("USAGE", name, "SAMPLES", "0")) ?? 0);
  return total;
};
const perUser = (bytes: number) => Math.round(bytes / N);

describe(`Redis memory per user, at ${N.toLocaleString("en")} users`, () => {
  it("costs at most a few hundred bytes per waiting, admitted or issued user, about a kilobyte per queued job", async () => {
    const { id } = await createRedisEvent(redis, keys, { stock: N, runningCapacity: N });
    const k = keys.event(id);
    const now = Date.now();

    let before = await usedMemory();
    for (let i = 0; i < N; i += 500)
      await Promise.all(users.slice(i, i + 500).map((u) => enter(redis, k, u)));
    const waitingKeys = await usage(k.waiting, k.seen, k.seq);
    const waitingDelta = (await usedMemory()) - before;

    // Admitted: a running slot and its hard expiry each (the scheduler's move, done here directly).
    before = await usedMemory();
    for (let i = 0; i < N; i += 1000) {
      const pipeline = redis.pipeline();
      for (const u of users.slice(i, i + 1000))
        pipeline.zadd(k.running, now + 30_000, u).hset(k.admitted, u, now + 300_000);
      await pipeline.exec();
    }
    const runningKeys = await usage(k.running, k.admitted);
    const runningDelta = (await usedMemory()) - before;

    // Issued: the issue script records the user and frees the slot.
    await redis.unlink(k.waiting, k.seen);
    before = await usedMemory();
    for (let i = 0; i < N; i += 500) {
      await Promise.all(
        users.slice(i, i + 500).map((u, j) =>
          issue(redis, k, {
            userId: u,
            couponId: `RG-${String(i + j).padStart(4, "0")}-ABCD-EFGH-JKMN`,
          }),
        ),
      );
    }
    const issuedKeys = await usage(k.issued);
    const issuedDelta = (await usedMemory()) - before;
    expect(await redis.zcard(k.running)).toBe(0);

    // Queued: one BullMQ job per issuance until the issuer has written it (removed on completion).
    const queue = new Queue(ISSUANCE_QUEUE, { connection: redis, prefix: keys.bullPrefix });
    before = await usedMemory();
    for (let i = 0; i < N; i += 1000) {
      await queue.addBulk(
        users.slice(i, i + 1000).map((u) => ({
          name: "issue",
          data: { eventId: id, userId: u, couponId: "RG-0000-ABCD-EFGH-JKMN", issuedAt: now },
          opts: { ...issuanceJobOptions, jobId: issuanceJobId(id, u) },
        })),
      );
    }
    const jobDelta = (await usedMemory()) - before;
    await queue.close();

    const figures = {
      waiting: { keys: perUser(waitingKeys), usedMemory: perUser(waitingDelta) },
      admitted: { keys: perUser(runningKeys), usedMemory: perUser(runningDelta) },
      // Net of the running slot each issue frees.
      issued: { keys: perUser(issuedKeys), usedMemory: perUser(issuedDelta) },
      queuedJob: { usedMemory: perUser(jobDelta) },
    };
    console.info(`bytes of Redis per user at ${N} users`, JSON.stringify(figures));
    for (const f of [figures.waiting, figures.admitted, figures.issued]) {
      expect(f.keys).toBeGreaterThan(20);
      expect(f.keys).toBeLessThan(300);
    }
    expect(figures.queuedJob.usedMemory).toBeGreaterThan(100);
    expect(figures.queuedJob.usedMemory).toBeLessThan(2_000);
  });
});

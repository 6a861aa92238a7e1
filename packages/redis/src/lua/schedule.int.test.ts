import { createRedisEvent, type RedisFixture, useRedis } from "@rushgate/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventKeys } from "../keys";
import { enter, redisNow, schedule, status } from "../operations";

let fx: RedisFixture;
beforeEach(async () => {
  fx = await useRedis();
});
afterEach(async () => {
  await fx.cleanup();
});

const tick = (k: EventKeys, fence = 1) => schedule(fx.redis, k, fence);

async function fill(k: EventKeys, n: number) {
  for (let i = 0; i < n; i++) await enter(fx.redis, k, `w${i}`);
}

/** A crowd of `n` waiters as enter-10.lua leaves them (arrival order = index), set up in bulk. */
async function crowd(k: EventKeys, n: number) {
  const now = await redisNow(fx.redis);
  const pipeline = fx.redis.pipeline();
  for (let from = 0; from < n; from += 10_000) {
    const ids = Array.from({ length: Math.min(10_000, n - from) }, (_, i) => from + i);
    pipeline.zadd(k.waiting, ...ids.flatMap((i) => [i + 1, `w${i}`]));
    pipeline.zadd(k.seen, ...ids.flatMap((i) => [now, `w${i}`]));
  }
  pipeline.set(k.seq, n);
  await pipeline.exec();
}

describe("schedule-8.lua", () => {
  it.each([
    { name: "room", capacity: 30, perTick: 200, waiting: 100, running: 10, expected: 20 },
    { name: "admitPerTick", capacity: 1000, perTick: 25, waiting: 100, running: 0, expected: 25 },
    { name: "the queue", capacity: 1000, perTick: 200, waiting: 40, running: 5, expected: 40 },
  ])("moves exactly min(room, admitPerTick, waiting), bound by $name", async (c) => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, {
      runningCapacity: c.capacity,
      admitPerTick: c.perTick,
      stock: 10_000,
    });
    const k = fx.keys.event(id);
    const future = Date.now() + 60_000;
    for (let i = 0; i < c.running; i++) await fx.redis.zadd(k.running, future, `r${i}`);
    await fill(k, c.waiting);
    const result = await tick(k);
    expect(result.moved).toBe(c.expected);
    expect(await fx.redis.zcard(k.waiting)).toBe(c.waiting - c.expected);
    expect(await fx.redis.zcard(k.running)).toBe(c.running + c.expected);
  });

  it("never admits more people than there is stock left for", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { stock: 100, remaining: 7 });
    const k = fx.keys.event(id);
    await fill(k, 50);
    expect((await tick(k)).moved).toBe(7);
    expect((await tick(k)).moved).toBe(0);
  });

  it("admits in arrival order", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { admitPerTick: 3 });
    const k = fx.keys.event(id);
    const order = ["zed", "amy", "kim", "bob", "lea", "max", "ann"];
    for (const user of order) await enter(fx.redis, k, user);
    const admitted: string[] = [];
    for (let t = 0; t < 3; t++) {
      const before = new Set(await fx.redis.zrange(k.running, 0, -1));
      await tick(k);
      const after = await fx.redis.zrange(k.waiting, 0, -1);
      const now = (await fx.redis.zrange(k.running, 0, -1)).filter((u) => !before.has(u));
      // Within one tick, everyone admitted was ahead of everyone still waiting.
      admitted.push(...order.filter((u) => now.includes(u)));
      expect(after).toEqual(order.filter((u) => !admitted.includes(u)));
    }
    expect(admitted).toEqual(order);
  });

  it("drops expired admissions and frees their room", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { runningCapacity: 2 });
    const k = fx.keys.event(id);
    const now = await redisNow(fx.redis);
    await fx.redis.zadd(k.running, now - 1, "gone1", now - 5000, "gone2", now + 60_000, "stays");
    await fill(k, 3);
    const result = await tick(k);
    expect(result.expired).toBe(2);
    expect(result.moved).toBe(1);
    expect(await fx.redis.zrange(k.running, 0, -1)).toEqual(expect.arrayContaining(["stays", "w0"]));
  });

  it("evicts waiters who stopped polling, and only them", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { idleTimeoutSeconds: 30, runningCapacity: 1 });
    const k = fx.keys.event(id);
    const now = await redisNow(fx.redis);
    await fx.redis.zadd(k.running, now + 60_000, "holder");
    await enter(fx.redis, k, "quiet");
    await enter(fx.redis, k, "polling");
    // Both were last seen 40 s ago; then one of them polls.
    await fx.redis.zadd(k.seen, now - 40_000, "quiet", now - 40_000, "polling");
    await status(fx.redis, k, "polling");
    const result = await tick(k);
    expect(result.evicted).toBe(1);
    expect(await status(fx.redis, k, "quiet")).toEqual({ kind: "not_in_queue" });
    expect(await status(fx.redis, k, "polling")).toMatchObject({ kind: "waiting", position: 1 });
  });

  it("admits nobody before the start, and clears the queue once sold out", async () => {
    const now = Date.now();
    const { id } = await createRedisEvent(fx.redis, fx.keys, { startsAt: now + 60_000, remaining: 5 });
    const k = fx.keys.event(id);
    await fill(k, 3);
    expect((await tick(k)).moved).toBe(0);
    await fx.redis.set(k.remaining, 0);
    await tick(k);
    expect(await fx.redis.zcard(k.waiting)).toBe(0);
    expect(await status(fx.redis, k, "w0")).toEqual({ kind: "sold_out" });
  });

  it("refuses a scheduler whose fencing token is older than the last one seen", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    await fill(k, 2);
    expect((await tick(k, 5)).fenced).toBe(false);
    expect(await tick(k, 4)).toEqual({ fenced: true, moved: 0, expired: 0, evicted: 0 });
    expect((await tick(k, 6)).fenced).toBe(false);
  });

  it("measures the admission rate while people wait", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { admitPerTick: 10 });
    const k = fx.keys.event(id);
    await fill(k, 100);
    await tick(k);
    const t1 = Number(await fx.redis.hget(k.sched, "lastTick"));
    while ((await redisNow(fx.redis)) < t1 + 200) await new Promise((r) => setTimeout(r, 20));
    await tick(k);
    const t2 = Number(await fx.redis.hget(k.sched, "lastTick"));
    const reply = await status(fx.redis, k, "w99");
    expect(reply).toMatchObject({ kind: "waiting", position: 80 });
    // The first tick's 10 admissions over the time to the second, by Redis's clock.
    expect(reply.kind === "waiting" && reply.rate).toBeCloseTo((10 * 1000) / (t2 - t1), 3);
  });

  it("admits 100,000 waiters in one tick when admitPerTick allows it, in arrival order", async () => {
    const n = 100_000;
    const { id } = await createRedisEvent(fx.redis, fx.keys, {
      runningCapacity: 1_000_000,
      admitPerTick: 100_000,
      stock: 1_000_000,
    });
    const k = fx.keys.event(id);
    await crowd(k, n);
    const result = await tick(k);
    expect(result).toMatchObject({ fenced: false, moved: n });
    expect(await fx.redis.zcard(k.waiting)).toBe(0);
    expect(await fx.redis.zcard(k.seen)).toBe(0);
    expect(await fx.redis.zcard(k.running)).toBe(n);
    // Admission expiries never decrease along the arrival order: nobody was let in before
    // someone who arrived earlier.
    const flat = await fx.redis.zrange(k.running, 0, -1, "WITHSCORES");
    const expiry = new Map<string, number>();
    for (let i = 0; i < flat.length; i += 2) expiry.set(flat[i] as string, Number(flat[i + 1]));
    for (let i = 1; i < n; i++) {
      expect(expiry.get(`w${i}`)).toBeGreaterThanOrEqual(expiry.get(`w${i - 1}`) as number);
    }
  });

  it("works at the largest runningCapacity: expires and admits past any script limit", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, {
      runningCapacity: 1_000_000,
      admitPerTick: 100_000,
      stock: 10_000_000,
    });
    const k = fx.keys.event(id);
    const now = await redisNow(fx.redis);
    const pipeline = fx.redis.pipeline();
    for (let from = 0; from < 150_000; from += 10_000) {
      const ids = Array.from({ length: 10_000 }, (_, i) => from + i);
      pipeline.zadd(k.running, ...ids.flatMap((i) => [now - 1000, `old${i}`]));
    }
    await pipeline.exec();
    await crowd(k, 250_000);
    const first = await tick(k);
    expect(first).toMatchObject({ moved: 100_000, expired: 150_000 });
    expect((await tick(k)).moved).toBe(100_000);
    expect((await tick(k)).moved).toBe(50_000);
    expect(await fx.redis.zcard(k.running)).toBe(250_000);
    expect(await fx.redis.zcard(k.waiting)).toBe(0);
  });

  it("keeps everyone's place when room, not admitPerTick, stops a large tick", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, {
      runningCapacity: 12_345,
      admitPerTick: 100_000,
      stock: 1_000_000,
    });
    const k = fx.keys.event(id);
    await crowd(k, 20_000);
    expect((await tick(k)).moved).toBe(12_345);
    const rest = await fx.redis.zrange(k.waiting, 0, -1);
    expect(rest).toEqual(Array.from({ length: 20_000 - 12_345 }, (_, i) => `w${12_345 + i}`));
    expect(await fx.redis.zscore(k.running, "w12344")).not.toBeNull();
  });
});

import { createRedisEvent, type RedisFixture, useRedis } from "@rushgate/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventKeys } from "../keys";
import { gateSync, redisNow } from "../operations";

let fx: RedisFixture;
beforeEach(async () => {
  fx = await useRedis();
});
afterEach(async () => {
  await fx.cleanup();
});

const flush = (k: EventKeys, delta: number) => gateSync(fx.redis, k, delta);

describe("gate-sync-5.lua", () => {
  it("sums every instance's counts over the last 60 seconds and forgets older ones", async () => {
    const { id, meta } = await createRedisEvent(fx.redis, fx.keys, { rpmThreshold: 50, runningCapacity: 9 });
    const k = fx.keys.event(id);
    const sec = Math.floor((await redisNow(fx.redis)) / 1000);
    // Counts flushed earlier, by Redis's clock: 61 s ago (out of the window) and 30 s ago.
    await fx.redis.hset(k.rpm, String(sec - 61), 1000, String(sec - 30), 8);
    await flush(k, 30); // router A
    const later = await flush(k, 12); // router B sees both
    expect(later.liveRpm).toBe(50);
    expect(await fx.redis.hexists(k.rpm, String(sec - 61))).toBe(0);
    expect(later).toMatchObject({
      found: true,
      rpmThreshold: 50,
      runningCapacity: 9,
      startsAt: meta.startsAt,
      endsAt: meta.endsAt,
      remaining: 100,
    });
  });

  it("reports queue sizes, the global threshold marker and unknown events", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    const now = await redisNow(fx.redis);
    await fx.redis.zadd(k.waiting, 1, "w1", 2, "w2");
    await fx.redis.zadd(k.running, now + 1000, "r1", now - 1000, "expired");
    expect(await flush(k, 1)).toMatchObject({ waiting: 2, running: 1, rpmThreshold: null });
    expect(await flush(fx.keys.event(5550555), 3)).toMatchObject({ found: false, liveRpm: 0 });
  });

  it("counts nothing for an event not in Redis, so a late flush cannot bring back a retired event's key", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    expect(await flush(k, 2)).toMatchObject({ found: true, liveRpm: 2 });
    // Retired (retention unlinks every key of the event) while a router still had entries to flush.
    await fx.redis.del(k.meta, k.remaining, k.rpm);
    expect(await flush(k, 5)).toMatchObject({ found: false, liveRpm: 0 });
    expect(await fx.redis.exists(k.rpm)).toBe(0);
  });
});

describe("lease-2.lua and release-1.lua", () => {
  it("gives the lease to one holder, renews it, and fences a takeover with a larger token", async () => {
    const { schedulerLease: lease, schedulerFence: fence } = fx.keys;
    const a = await fx.redis.rgLeaseV1(lease, fence, "A", 200);
    expect(a).toBeGreaterThan(0);
    expect(await fx.redis.rgLeaseV1(lease, fence, "B", 200)).toBe(0);
    expect(await fx.redis.rgLeaseV1(lease, fence, "A", 200)).toBe(a);
    await new Promise((r) => setTimeout(r, 300));
    const b = await fx.redis.rgLeaseV1(lease, fence, "B", 200);
    expect(b).toBeGreaterThan(a);
    expect(await fx.redis.rgReleaseV1(lease, "A")).toBe(0);
    expect(await fx.redis.rgReleaseV1(lease, "B")).toBe(1);
    expect(await fx.redis.rgLeaseV1(lease, fence, "A", 200)).toBeGreaterThan(b);
  });
});

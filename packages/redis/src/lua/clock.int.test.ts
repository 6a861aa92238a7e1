import { createRedisEvent, type RedisFixture, useRedis } from "@rushgate/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { enter, gateSync, issue, redisNow, schedule, status } from "../operations";

let fx: RedisFixture;
beforeEach(async () => {
  fx = await useRedis();
});
afterEach(async () => {
  vi.useRealTimers();
  await fx.cleanup();
});

/** This process's clock runs `shift` ms off Redis's (as a drifting server's would). */
function drift(shift: number) {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + shift });
}

describe.each([60_000, -60_000])("with the caller's clock %i ms off", (shift) => {
  it("counts the gate's RPM window by Redis's clock", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    const sec = Math.floor((await redisNow(fx.redis)) / 1000);
    await fx.redis.hset(k.rpm, String(sec - 61), 500);
    drift(shift);
    await gateSync(fx.redis, k, 4);
    const snapshot = await gateSync(fx.redis, k, 3);
    expect(snapshot.liveRpm).toBe(7);
    expect(Math.abs(snapshot.now - (await redisNow(fx.redis)))).toBeLessThan(5_000);
    const fields = (await fx.redis.hkeys(k.rpm)).map(Number);
    expect(fields.every((f) => Math.abs(f - sec) < 5)).toBe(true);
  });

  it("judges the event window, admission expiry and idleness by Redis's clock", async () => {
    const now = await redisNow(fx.redis);
    // Open for 30 s more by Redis's clock: a caller 60 s ahead would think it ended, one 60 s
    // behind that it has not started.
    const { id } = await createRedisEvent(fx.redis, fx.keys, {
      startsAt: now - 10_000,
      endsAt: now + 30_000,
      idleTimeoutSeconds: 30,
      runningCapacity: 1,
    });
    const k = fx.keys.event(id);
    drift(shift);
    expect(await enter(fx.redis, k, "first")).toMatchObject({ kind: "waiting", position: 1 });
    expect(await enter(fx.redis, k, "second")).toMatchObject({ kind: "waiting", position: 2 });
    const tick = await schedule(fx.redis, k, 1);
    expect(tick).toMatchObject({ moved: 1, expired: 0, evicted: 0 });
    const admitted = await status(fx.redis, k, "first");
    expect(admitted.kind).toBe("admitted");
    const expiresAt = admitted.kind === "admitted" ? admitted.expiresAt : 0;
    expect(Math.abs(expiresAt - (now + 300_000))).toBeLessThan(5_000);
    expect(await status(fx.redis, k, "second")).toMatchObject({ kind: "waiting", position: 1 });
    const reply = await issue(fx.redis, k, { userId: "first", couponId: "c1" });
    expect(reply).toMatchObject({ kind: "issued", remaining: 99 });
    expect(Math.abs((reply.kind === "issued" ? reply.issuedAt : 0) - now)).toBeLessThan(5_000);
  });

  it("evicts idle waiters by Redis's clock: the quiet one goes, the polling one stays", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { idleTimeoutSeconds: 30, runningCapacity: 1 });
    const k = fx.keys.event(id);
    const now = await redisNow(fx.redis);
    await fx.redis.zadd(k.running, now + 600_000, "holder");
    drift(shift);
    await enter(fx.redis, k, "quiet");
    await enter(fx.redis, k, "polling");
    // Seen 31 s and 29 s ago by Redis's clock.
    await fx.redis.zadd(k.seen, now - 31_000, "quiet", now - 29_000, "polling");
    expect(await schedule(fx.redis, k, 1)).toMatchObject({ evicted: 1, moved: 0 });
    expect(await status(fx.redis, k, "quiet")).toEqual({ kind: "not_in_queue" });
    expect(await status(fx.redis, k, "polling")).toMatchObject({ kind: "waiting", position: 1 });
  });
});

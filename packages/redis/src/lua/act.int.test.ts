import { createRedisEvent, type RedisFixture, useRedis } from "@rushgate/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventKeys } from "../keys";
import { enter, issue, leave, redisNow, schedule, status } from "../operations";

let fx: RedisFixture;
beforeEach(async () => {
  fx = await useRedis();
});
afterEach(async () => {
  await fx.cleanup();
});

const tick = (k: EventKeys) => schedule(fx.redis, k, 1);
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const score = async (k: EventKeys, user: string) => Number(await fx.redis.zscore(k.running, user));

/** Waits until Redis's clock has passed `ms`. */
async function untilRedisTime(ms: number) {
  while ((await redisNow(fx.redis)) <= ms) await pause(20);
}

describe("time to act (includes/slot.lua)", () => {
  it("holds a slot for actWithinSeconds after each sign of life, never past the admission's expiry", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { actWithinSeconds: 5 });
    const k = fx.keys.event(id);
    await enter(fx.redis, k, "u");
    const before = await redisNow(fx.redis);
    await tick(k);
    const admitted = await fx.redis.hget(k.admitted, "u");
    const hard = Number(admitted);
    expect(hard - before).toBeGreaterThanOrEqual(300_000);
    const first = await score(k, "u");
    expect(first - before).toBeGreaterThanOrEqual(5_000);
    expect(first - before).toBeLessThan(6_000);

    await untilRedisTime(first - 5_000 + 50);
    // A poll while admitted is a sign of life: the deadline moves on; the token's stays.
    expect(await status(fx.redis, k, "u")).toEqual({ kind: "admitted", expiresAt: hard });
    expect(await score(k, "u")).toBeGreaterThan(first);
    expect(await enter(fx.redis, k, "u")).toEqual({ kind: "admitted", expiresAt: hard });

    // Near the end of the admission, signs of life no longer extend it.
    const now = await redisNow(fx.redis);
    await fx.redis.hset(k.admitted, "u", now + 1_000);
    await status(fx.redis, k, "u");
    expect(await score(k, "u")).toBe(now + 1_000);
  });

  it("gives the slot of a user who shows no sign of life to the next in line", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { actWithinSeconds: 1, runningCapacity: 1 });
    const k = fx.keys.event(id);
    await enter(fx.redis, k, "gone");
    await enter(fx.redis, k, "next");
    expect((await tick(k)).moved).toBe(1);
    await untilRedisTime(await score(k, "gone"));
    expect(await tick(k)).toMatchObject({ expired: 1, moved: 1 });
    expect(await fx.redis.hexists(k.admitted, "gone")).toBe(0);
    expect(await issue(fx.redis, k, { userId: "gone", couponId: "c" })).toEqual({ kind: "not_admitted" });
    expect(await status(fx.redis, k, "gone")).toEqual({ kind: "not_in_queue" });
    expect(await status(fx.redis, k, "next")).toMatchObject({ kind: "admitted" });
  });

  it("forgets the admission once the user issues or leaves", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    await enter(fx.redis, k, "a");
    await enter(fx.redis, k, "b");
    await tick(k);
    expect(await issue(fx.redis, k, { userId: "a", couponId: "c" })).toMatchObject({ kind: "issued" });
    await leave(fx.redis, k, "b");
    expect(await fx.redis.hlen(k.admitted)).toBe(0);
    expect(await fx.redis.zcard(k.running)).toBe(0);
  });

  it("admits the last waiter of a rush within the time to act when 30% of those admitted vanish", async () => {
    const act = 2;
    const ttl = 300;
    const { id } = await createRedisEvent(fx.redis, fx.keys, {
      actWithinSeconds: act,
      admissionTtlSeconds: ttl,
      runningCapacity: 10,
      stock: 1000,
    });
    const k = fx.keys.event(id);
    const users = Array.from({ length: 40 }, (_, i) => `r${i}`);
    const vanishes = (i: number) => [0, 3, 6].includes(i % 10);
    for (const u of users) await enter(fx.redis, k, u);
    const admittedAt = new Map<string, number>();
    const giveUp = Date.now() + 30_000;
    while (admittedAt.size < users.length) {
      if (Date.now() > giveUp) throw new Error(`only ${admittedAt.size} admitted`);
      await tick(k);
      for (const [i, u] of users.entries()) {
        if (admittedAt.has(u)) continue; // issued, or vanished once admitted
        const reply = await status(fx.redis, k, u);
        if (reply.kind !== "admitted") continue;
        admittedAt.set(u, reply.expiresAt - ttl * 1000);
        if (!vanishes(i)) {
          expect(await issue(fx.redis, k, { userId: u, couponId: `c-${u}` })).toMatchObject({
            kind: "issued",
          });
        }
      }
      await pause(100); // the scheduler's cadence
    }
    // Vanished users filled the room, so the last waiter waited for the first of them to lapse,
    // and then no longer than a few ticks: not the 300 s an admission lasts.
    const waited = (admittedAt.get("r39") as number) - (admittedAt.get("r0") as number);
    expect(waited).toBeGreaterThanOrEqual(act * 1000);
    expect(waited).toBeLessThan(act * 1000 + 2_000);
    expect(users.map((u) => admittedAt.get(u) as number)).toEqual(
      [...users.map((u) => admittedAt.get(u) as number)].sort((a, b) => a - b),
    );
  });
});

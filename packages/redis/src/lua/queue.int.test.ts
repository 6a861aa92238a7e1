import { createRedisEvent, type RedisFixture, useRedis } from "@rushgate/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventKeys } from "../keys";
import { admit, enter, leave, redisNow, schedule, status } from "../operations";

let fx: RedisFixture;
beforeEach(async () => {
  fx = await useRedis();
});
afterEach(async () => {
  await fx.cleanup();
});

const tick = (k: EventKeys) => schedule(fx.redis, k, 1);

describe("enter-10.lua and status-8.lua", () => {
  it("keeps the original place when a user enters again", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    expect(await enter(fx.redis, k, "a")).toMatchObject({ kind: "waiting", position: 1, waiting: 1 });
    expect(await enter(fx.redis, k, "b")).toMatchObject({ kind: "waiting", position: 2, waiting: 2 });
    expect(await enter(fx.redis, k, "a")).toMatchObject({ kind: "waiting", position: 1, waiting: 2 });
    expect(await fx.redis.zcard(k.waiting)).toBe(2);
  });

  it("never makes a position grow while others leave, get evicted and get admitted", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { admitPerTick: 7, stock: 10_000 });
    const k = fx.keys.event(id);
    const users = Array.from({ length: 120 }, (_, i) => `p${i}`);
    for (const u of users) await enter(fx.redis, k, u);
    const last = new Map(users.map((u, i) => [u, i + 1]));
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let round = 0; round < 15; round++) {
      for (const u of [...last.keys()]) if (random() < 0.05) await leave(fx.redis, k, u);
      for (let i = 0; i < 5; i++) await enter(fx.redis, k, `late${round}-${i}`);
      await tick(k);
      for (const [u, previous] of last) {
        const reply = await status(fx.redis, k, u);
        if (reply.kind !== "waiting") {
          last.delete(u);
          continue;
        }
        expect(reply.position).toBeLessThanOrEqual(previous);
        last.set(u, reply.position ?? previous);
      }
    }
    expect(last.size).toBeLessThan(120);
  });

  it("answers admitted after a tick, sold_out once the stock is gone, and not_in_queue for strangers", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { stock: 5 });
    const k = fx.keys.event(id);
    expect(await status(fx.redis, k, "nobody")).toEqual({ kind: "not_in_queue" });
    await enter(fx.redis, k, "x");
    const before = await redisNow(fx.redis);
    await tick(k);
    const after = await redisNow(fx.redis);
    const reply = await status(fx.redis, k, "x");
    expect(reply).toMatchObject({ kind: "admitted" });
    const expiresAt = reply.kind === "admitted" ? reply.expiresAt : 0;
    expect(expiresAt).toBeGreaterThanOrEqual(before + 300_000);
    expect(expiresAt).toBeLessThanOrEqual(after + 300_000);
    await fx.redis.set(k.remaining, 0);
    expect(await status(fx.redis, k, "x")).toEqual({ kind: "sold_out" });
    expect(await enter(fx.redis, k, "y")).toEqual({ kind: "sold_out" });
  });

  it("tells a user who already has a coupon so, without queueing them", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    await fx.redis.hset(k.issued, "had", "c|1");
    expect(await enter(fx.redis, k, "had")).toMatchObject({ kind: "issued" });
    expect(await fx.redis.zcard(k.waiting)).toBe(0);
  });

  it("refuses entry after the end and says not_found for unknown events", async () => {
    const now = Date.now();
    const { id } = await createRedisEvent(fx.redis, fx.keys, { startsAt: now - 10_000, endsAt: now - 1 });
    expect(await enter(fx.redis, fx.keys.event(id), "u")).toEqual({ kind: "not_open" });
    expect(await enter(fx.redis, fx.keys.event(987654), "u")).toEqual({ kind: "not_found" });
  });
});

describe("admit-7.lua", () => {
  it("admits directly only while nobody waits and there is room", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { runningCapacity: 2 });
    const k = fx.keys.event(id);
    const first = await admit(fx.redis, k, "a");
    expect(first).toMatchObject({ kind: "admitted" });
    const expiresAt = first.kind === "admitted" ? first.expiresAt : 0;
    expect(expiresAt - (await redisNow(fx.redis))).toBeGreaterThan(299_000);
    expect(await admit(fx.redis, k, "a")).toEqual({ kind: "admitted", expiresAt });
    expect(await admit(fx.redis, k, "b")).toMatchObject({ kind: "admitted" });
    expect(await admit(fx.redis, k, "c")).toEqual({ kind: "queue" });
    await leave(fx.redis, k, "b");
    await enter(fx.redis, k, "waiter");
    // Room again, but someone is waiting: a newcomer must not overtake them.
    expect(await admit(fx.redis, k, "d")).toEqual({ kind: "queue" });
  });

  it("queues before the start and refuses when sold out or ended", async () => {
    const now = Date.now();
    const early = await createRedisEvent(fx.redis, fx.keys, { startsAt: now + 10_000 });
    expect(await admit(fx.redis, fx.keys.event(early.id), "a")).toEqual({ kind: "queue" });
    const gone = await createRedisEvent(fx.redis, fx.keys, { remaining: 0 });
    expect(await admit(fx.redis, fx.keys.event(gone.id), "a")).toEqual({ kind: "sold_out" });
    const ended = await createRedisEvent(fx.redis, fx.keys, { startsAt: now - 10_000, endsAt: now });
    expect(await admit(fx.redis, fx.keys.event(ended.id), "a")).toEqual({ kind: "not_open" });
  });
});

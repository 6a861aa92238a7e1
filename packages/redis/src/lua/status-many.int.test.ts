import { createRedisEvent, type RedisFixture, useRedis } from "@rushgate/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  enter,
  enterMany,
  issueMany,
  QUEUE_BATCH,
  redisNow,
  schedule,
  status,
  statusMany,
} from "../operations";

let fx: RedisFixture;
beforeEach(async () => {
  fx = await useRedis();
});
afterEach(async () => {
  await fx.cleanup();
});

describe("status-8.lua for many users at once", () => {
  it("answers every user as a call for that user alone does, in one call", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { admitPerTick: 1 });
    const k = fx.keys.event(id);
    for (const u of ["a", "b", "c"]) await enter(fx.redis, k, u);
    await schedule(fx.redis, k, 1); // a is admitted, b and c wait
    const users = ["a", "b", "c", "stranger"];
    const many = await statusMany(fx.redis, k, users);
    const one = await Promise.all(users.map((u) => status(fx.redis, k, u)));
    expect(many).toEqual(one);
    expect(many.map((r) => r.kind)).toEqual(["admitted", "waiting", "waiting", "not_in_queue"]);
    expect(many[2]).toMatchObject({ position: 2, waiting: 2 });
  });

  it("marks the waiters it reads as seen now (a sign of life, on Redis's clock)", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { startsAt: Date.now() + 3_600_000 });
    const k = fx.keys.event(id);
    for (const u of ["a", "b"]) await enter(fx.redis, k, u);
    await fx.redis.zadd(k.seen, 1, "a", 1, "b");
    const before = await redisNow(fx.redis);
    await statusMany(fx.redis, k, ["a"]);
    expect(Number(await fx.redis.zscore(k.seen, "a"))).toBeGreaterThanOrEqual(before);
    expect(await fx.redis.zscore(k.seen, "b")).toBe("1");
    // ZADD XX: a stranger is never added to seen.
    await statusMany(fx.redis, k, ["stranger"]);
    expect(await fx.redis.zscore(k.seen, "stranger")).toBeNull();
  });

  it("answers sold_out and not_found for everyone at once", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { remaining: 0 });
    expect(await statusMany(fx.redis, fx.keys.event(id), ["a", "b"])).toEqual([
      { kind: "sold_out" },
      { kind: "sold_out" },
    ]);
    expect(await statusMany(fx.redis, fx.keys.event(987654), ["a"])).toEqual([{ kind: "not_found" }]);
  });

  it("takes the largest batch (QUEUE_BATCH users) in one call of each many-user script", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, {
      stock: QUEUE_BATCH,
      runningCapacity: QUEUE_BATCH,
    });
    const k = fx.keys.event(id);
    const users = Array.from({ length: QUEUE_BATCH }, (_, i) => `big-${i}`);
    const entered = await enterMany(fx.redis, k, users);
    expect(entered.map((r) => (r.kind === "waiting" ? r.position : r.kind))).toEqual(
      users.map((_, i) => i + 1),
    );
    const polled = await statusMany(fx.redis, k, users);
    expect(polled.map((r) => (r.kind === "waiting" ? r.position : r.kind))).toEqual(
      users.map((_, i) => i + 1),
    );
    // Admitted all at once, then every one of them issues in one call: the stock goes exactly to 0.
    await fx.redis.zadd(k.running, ...users.flatMap((u) => [Date.now() + 60_000, u]));
    const issued = await issueMany(
      fx.redis,
      k,
      users.map((userId) => ({ userId, couponId: `c-${userId}` })),
    );
    expect(issued.filter((r) => r.kind === "issued")).toHaveLength(QUEUE_BATCH);
    expect(await fx.redis.get(k.remaining)).toBe("0");
  });
});

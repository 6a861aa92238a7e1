import { createRedisEvent, type RedisFixture, useRedis } from "@rushgate/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addChanges, applyChanges, cancelChange, pendingChanges, readFlow, updateSettings } from "../changes";
import { redisNow } from "../operations";

let fx: RedisFixture;
beforeEach(async () => {
  fx = await useRedis();
});
afterEach(async () => {
  await fx.cleanup();
});

const settings = async (meta: string) =>
  fx.redis.hmget(meta, "rpmThreshold", "admitPerTick", "runningCapacity");

describe("apply-changes-7.lua", () => {
  it("applies due changes to the meta in time order, each once, and leaves later ones pending", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { admitPerTick: 100, runningCapacity: 50 });
    const k = fx.keys.event(id);
    const now = await redisNow(fx.redis);
    await addChanges(fx.redis, k, [
      { id: 11, at: now - 50, set: { admitPerTick: 300 } },
      { id: 10, at: now - 100, set: { admitPerTick: 200, rpmThreshold: 7 } },
      { id: 12, at: now - 50, set: { runningCapacity: 1_000_000, rpmThreshold: null } },
      { id: 13, at: now + 60_000, set: { admitPerTick: 100_000 } },
    ]);
    expect(await applyChanges(fx.redis, k, 1)).toEqual({ fenced: false, applied: [10, 11, 12] });
    expect(await settings(k.meta)).toEqual(["", "300", "1000000"]);
    expect(await applyChanges(fx.redis, k, 1)).toEqual({ fenced: false, applied: [] });
    expect(Object.keys(await fx.redis.hgetall(k.changesApplied)).sort()).toEqual(["10", "11", "12"]);
    expect((await pendingChanges(fx.redis, k)).map((c) => c.id)).toEqual([13]);
  });

  it("a former leader's fence applies nothing once a newer leader has ticked the event", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { admitPerTick: 100 });
    const k = fx.keys.event(id);
    const now = await redisNow(fx.redis);
    await applyChanges(fx.redis, k, 5);
    await addChanges(fx.redis, k, [{ id: 1, at: now - 1, set: { admitPerTick: 999 } }]);
    expect(await applyChanges(fx.redis, k, 4)).toEqual({ fenced: true, applied: [] });
    expect(await settings(k.meta)).toEqual(["", "100", expect.any(String)]);
    expect(await applyChanges(fx.redis, k, 5)).toEqual({ fenced: false, applied: [1] });
  });

  it("writes nothing for an event that is not in Redis", async () => {
    const k = fx.keys.event(424242);
    await fx.redis.zadd(k.changesDue, 1, "1");
    expect(await applyChanges(fx.redis, k, 1)).toEqual({ fenced: false, applied: [] });
    expect(await fx.redis.exists(k.meta, k.flow, k.sched, k.changesApplied)).toBe(0);
  });

  it("measures the tick period and the issue rate for the preview", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, {});
    const k = fx.keys.event(id);
    const t0 = await redisNow(fx.redis);
    await applyChanges(fx.redis, k, 1);
    await fx.redis.hset(k.issued, "a", "x|1", "b", "x|1");
    // Wait for the state the measurement needs (a second of Redis time), not for a moment.
    while ((await redisNow(fx.redis)) - t0 < 1_050) await new Promise((r) => setTimeout(r, 100));
    await applyChanges(fx.redis, k, 1, { moved: 30, expired: 3 });
    const flow = await readFlow(fx.redis, k);
    expect(flow).toMatchObject({ admitted: 30, expired: 3 });
    expect(flow.issueRate).toBeGreaterThan(0.5);
    expect(flow.issueRate).toBeLessThan(2.1);
    expect(flow.tickMs).toBeGreaterThan(0);
  });
});

describe("cancel-change-3.lua and update-settings-1.lua", () => {
  it("cancels a pending change, and refuses one that has applied", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { admitPerTick: 100 });
    const k = fx.keys.event(id);
    const now = await redisNow(fx.redis);
    await addChanges(fx.redis, k, [
      { id: 1, at: now - 1, set: { admitPerTick: 5 } },
      { id: 2, at: now + 60_000, set: { admitPerTick: 6 } },
    ]);
    await applyChanges(fx.redis, k, 1);
    expect(await cancelChange(fx.redis, k, 1)).toBe("applied");
    expect(await cancelChange(fx.redis, k, 2)).toBe("cancelled");
    expect(await cancelChange(fx.redis, k, 2)).toBe("unknown");
    expect(await pendingChanges(fx.redis, k)).toEqual([]);
    expect(await settings(k.meta)).toEqual(["", "5", expect.any(String)]);
  });

  it("answers the values before a live update, and never creates a partial meta", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { admitPerTick: 100, runningCapacity: 10 });
    const k = fx.keys.event(id);
    expect(await updateSettings(fx.redis, k, { admitPerTick: 100_000, rpmThreshold: 100_000_000 })).toEqual({
      admitPerTick: 100,
      rpmThreshold: null,
    });
    expect(await settings(k.meta)).toEqual(["100000000", "100000", "10"]);
    const gone = fx.keys.event(424243);
    expect(await updateSettings(fx.redis, gone, { admitPerTick: 5 })).toBeNull();
    expect(await fx.redis.exists(gone.meta)).toBe(0);
  });
});

import { createRedisEvent, type RedisFixture, useRedis } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { admit, enter, gateSync, redisNow, schedule, status } from "./operations";
import { endEventNow, setEventSwitches, setGlobalSwitches } from "./switches";

let fx: RedisFixture;
beforeAll(async () => {
  fx = await useRedis();
});
afterAll(async () => {
  await fx.cleanup();
});

const off = { paused: false, queueAll: false, entryClosed: false };

describe("kill switches in the scripts", () => {
  it("paused: the scheduler moves nobody and the queue answers paused, until resumed", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    for (const u of ["a", "b", "c"]) await enter(fx.redis, k, u);
    await setEventSwitches(fx.redis, k, { ...off, paused: true });
    expect(await schedule(fx.redis, k, 1)).toMatchObject({ moved: 0 });
    expect(await status(fx.redis, k, "a")).toMatchObject({ kind: "waiting", position: 1, paused: true });
    expect((await gateSync(fx.redis, k, 0)).switches).toEqual({ ...off, paused: true });

    await setEventSwitches(fx.redis, k, off);
    expect(await schedule(fx.redis, k, 1)).toMatchObject({ moved: 3 });
    expect(await status(fx.redis, k, "a")).toMatchObject({ kind: "admitted" });
  });

  it("entry closed: a newcomer is refused, someone already waiting keeps the place", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { startsAt: Date.now() + 60_000 });
    const k = fx.keys.event(id);
    await enter(fx.redis, k, "early");
    await setEventSwitches(fx.redis, k, { ...off, entryClosed: true });
    expect(await enter(fx.redis, k, "late")).toEqual({ kind: "entry_closed" });
    expect(await enter(fx.redis, k, "early")).toMatchObject({ kind: "waiting", position: 1 });
  });

  it("queue all: nobody is admitted directly, the queue still is", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    await setEventSwitches(fx.redis, k, { ...off, queueAll: true });
    expect(await admit(fx.redis, k, "u")).toEqual({ kind: "queue" });
    await enter(fx.redis, k, "u");
    expect(await schedule(fx.redis, k, 1)).toMatchObject({ moved: 1 });
  });

  it("a global switch reaches every live event's meta, and an own switch never creates a cold event's meta", async () => {
    const [e1, e2] = [await createRedisEvent(fx.redis, fx.keys), await createRedisEvent(fx.redis, fx.keys)];
    expect(await setGlobalSwitches(fx.redis, fx.keys, { ...off, entryClosed: true })).toBeGreaterThanOrEqual(
      2,
    );
    for (const e of [e1, e2])
      expect(await enter(fx.redis, fx.keys.event(e.id), "x")).toEqual({ kind: "entry_closed" });
    await setGlobalSwitches(fx.redis, fx.keys, off);
    expect(await enter(fx.redis, fx.keys.event(e1.id), "x")).toMatchObject({ kind: "waiting" });

    const cold = fx.keys.event(123_456_789);
    expect(await setEventSwitches(fx.redis, cold, { ...off, paused: true })).toBe(false);
    expect(await fx.redis.exists(cold.meta)).toBe(0);
  });

  it("end now: the event ends at the given time, queue and slots are released, issued users stay", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    await fx.redis.hset(k.issued, "winner", "RG-1|1");
    expect(await admit(fx.redis, k, "holder")).toMatchObject({ kind: "admitted" });
    await enter(fx.redis, k, "waiter");
    const now = await redisNow(fx.redis);
    expect(await endEventNow(fx.redis, fx.keys, id, now)).toBe(true);
    expect(await status(fx.redis, k, "waiter")).toEqual({ kind: "not_open" });
    expect(await fx.redis.exists(k.waiting, k.running, k.admitted, k.seen)).toBe(0);
    expect(await fx.redis.hget(k.issued, "winner")).toBe("RG-1|1");
    expect(Number(await fx.redis.zscore(fx.keys.events, String(id)))).toBe(now);
    expect(await endEventNow(fx.redis, fx.keys, 987_654_321, now)).toBe(false);
  });
});

import { createRedisEvent, type RedisFixture, useRedis } from "@rushgate/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { EventKeys } from "../keys";
import { admit, enter, leave, redisNow, retireEventKeys, schedule, status } from "../operations";

let fx: RedisFixture;
beforeEach(async () => {
  fx = await useRedis();
});
afterEach(async () => {
  await fx.cleanup();
});

/** The log as [kind, user, seq, mode] rows. */
async function logOf(k: EventKeys): Promise<string[][]> {
  const entries = await fx.redis.xrange(k.log, "-", "+");
  return entries.map(([, f]) => {
    const o: Record<string, string> = {};
    for (let i = 0; i + 1 < f.length; i += 2) o[f[i] as string] = f[i + 1] as string;
    return [o.k, o.u, o.s, o.m] as string[];
  });
}

describe("the admission log (includes/log.lua)", () => {
  it("records an entry once, not the polls or the entries again of one waiting", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    const before = await redisNow(fx.redis);
    await enter(fx.redis, k, "a");
    await enter(fx.redis, k, "a");
    await status(fx.redis, k, "a");
    expect(await logOf(k)).toEqual([["entry", "a", "1", ""]]);
    const [[, fields]] = (await fx.redis.xrange(k.log, "-", "+")) as [[string, string[]]];
    const t = Number(fields[fields.indexOf("t") + 1]);
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t - before).toBeLessThan(1_000);
  });

  it("records evictions, expiries and the queue closing on those still waiting when sold out, from the scheduler", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { stock: 2 });
    const k = fx.keys.event(id);
    await enter(fx.redis, k, "idle");
    await enter(fx.redis, k, "gone");
    await enter(fx.redis, k, "waits");
    await enter(fx.redis, k, "last");
    const now = await redisNow(fx.redis);
    await fx.redis.zadd(k.seen, now - 3_600_000, "idle");
    // "gone" is admitted by one tick, then its act-by deadline passes.
    expect((await schedule(fx.redis, k, 1)).moved).toBe(2);
    await fx.redis.zadd(k.running, now - 1, "gone");
    await fx.redis.set(k.remaining, "0");
    await schedule(fx.redis, k, 1);
    await schedule(fx.redis, k, 1);
    expect(await logOf(k)).toEqual([
      ["entry", "idle", "1", ""],
      ["entry", "gone", "2", ""],
      ["entry", "waits", "3", ""],
      ["entry", "last", "4", ""],
      ["evict", "idle", "", ""],
      ["admit", "gone", "2", "queued"],
      ["admit", "waits", "3", "queued"],
      ["expire", "gone", "", ""],
      ["close", "", "", "sold_out"],
    ]);
  });

  it("logs a slot past its deadline as expired before the same user's next admission", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    expect((await admit(fx.redis, k, "a")).kind).toBe("admitted");
    await fx.redis.zadd(k.running, (await redisNow(fx.redis)) - 1, "a");
    expect((await admit(fx.redis, k, "a")).kind).toBe("admitted");
    expect(await logOf(k)).toEqual([
      ["admit", "a", "", "direct"],
      ["expire", "a", "", ""],
      ["admit", "a", "", "direct"],
    ]);
  });

  it("logs a leave only when the user was waiting or admitted, with the waiter's entry", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    await enter(fx.redis, k, "w");
    await admit(fx.redis, k, "solo"); // someone waits: queued, not admitted
    await leave(fx.redis, k, "w");
    await leave(fx.redis, k, "w");
    await leave(fx.redis, k, "stranger");
    expect(await logOf(k)).toEqual([
      ["entry", "w", "1", ""],
      ["leave", "w", "1", ""],
    ]);
  });

  it("keeps an event's keys while its log is not drained (retire-n.lua)", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    await enter(fx.redis, k, "a");
    expect(await retireEventKeys(fx.redis, k)).toBe(false);
    expect(await fx.redis.exists(k.meta, k.waiting, k.log)).toBe(3);
    await fx.redis.xtrim(k.log, "MAXLEN", 0);
    expect(await retireEventKeys(fx.redis, k)).toBe(true);
    expect(await fx.redis.exists(...Object.values(k))).toBe(0);
  });
});

import { createRedisEvent, type RedisFixture, useRedis } from "@rushgate/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { issue, issueMany, redisNow } from "../operations";

let fx: RedisFixture;
beforeEach(async () => {
  fx = await useRedis();
});
afterEach(async () => {
  await fx.cleanup();
});

async function admitAll(eventId: number, users: string[], expiresAt = Date.now() + 60_000) {
  if (users.length === 0) return;
  await fx.redis.zadd(fx.keys.event(eventId).running, ...users.flatMap((u) => [expiresAt, u]));
}

describe("issue-6.lua", () => {
  it("never takes the stock below zero under 1,000 concurrent calls", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { stock: 100 });
    const users = Array.from({ length: 1000 }, (_, i) => `u${i}`);
    await admitAll(id, users);
    const k = fx.keys.event(id);
    const replies = await Promise.all(
      users.map((userId) => issue(fx.redis, k, { userId, couponId: `c-${userId}` })),
    );
    const issued = replies.filter((r) => r.kind === "issued");
    expect(issued).toHaveLength(100);
    expect(replies.filter((r) => r.kind === "sold_out")).toHaveLength(900);
    expect(await fx.redis.get(k.remaining)).toBe("0");
    expect(await fx.redis.hlen(k.issued)).toBe(100);
    // Every remaining count handed out is distinct: 99, 98, ..., 0.
    expect(new Set(issued.map((r) => (r.kind === "issued" ? r.remaining : -1))).size).toBe(100);
    // Sold-out users gave their running slot back.
    expect(await fx.redis.zcard(k.running)).toBe(0);
  });

  it("decides a batch in its order, each as if alone: the stock runs out mid-batch, a repeat is already issued", async () => {
    const users = ["a", "b", "a", "c", "d", "stranger"];
    const run = async (batched: boolean) => {
      const { id } = await createRedisEvent(fx.redis, fx.keys, { stock: 2 });
      await admitAll(id, ["a", "b", "c", "d"]);
      const k = fx.keys.event(id);
      const requests = users.map((userId) => ({ userId, couponId: `c-${userId}` }));
      if (batched) return issueMany(fx.redis, k, requests);
      const one = [];
      for (const r of requests) one.push(await issue(fx.redis, k, r));
      return one;
    };
    const together = await run(true);
    const alone = await run(false);
    expect(together.map((r) => r.kind)).toEqual([
      "issued",
      "issued",
      "already_issued",
      "sold_out",
      "sold_out",
      "sold_out",
    ]);
    expect(together.map(({ kind }) => kind)).toEqual(alone.map(({ kind }) => kind));
    expect(together.slice(0, 2).map((r) => (r.kind === "issued" ? r.remaining : -1))).toEqual([1, 0]);
  });

  it("gives one user one coupon however many times they ask at once", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { stock: 10 });
    await admitAll(id, ["alice"]);
    const k = fx.keys.event(id);
    const replies = await Promise.all(
      Array.from({ length: 50 }, (_, i) => issue(fx.redis, k, { userId: "alice", couponId: `c${i}` })),
    );
    expect(replies.filter((r) => r.kind === "issued")).toHaveLength(1);
    expect(replies.filter((r) => r.kind === "already_issued")).toHaveLength(49);
    expect(await fx.redis.get(k.remaining)).toBe("9");
  });

  it("refuses outside the event window and leaves everything as it was", async () => {
    const now = Date.now();
    const early = await createRedisEvent(fx.redis, fx.keys, {
      startsAt: now + 60_000,
      endsAt: now + 120_000,
    });
    const late = await createRedisEvent(fx.redis, fx.keys, { startsAt: now - 120_000, endsAt: now - 1 });
    for (const { id } of [early, late]) {
      await admitAll(id, ["bob"]);
      const k = fx.keys.event(id);
      expect(await issue(fx.redis, k, { userId: "bob", couponId: "c" })).toEqual({ kind: "not_open" });
      expect(await fx.redis.get(k.remaining)).toBe("100");
      expect(await fx.redis.hlen(k.issued)).toBe(0);
    }
  });

  it("requires an unexpired running slot and frees it on issue", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys);
    const k = fx.keys.event(id);
    const now = Date.now();
    expect(await issue(fx.redis, k, { userId: "carol", couponId: "c" })).toEqual({
      kind: "not_admitted",
    });
    await admitAll(id, ["carol"], now - 1);
    expect(await issue(fx.redis, k, { userId: "carol", couponId: "c" })).toEqual({
      kind: "not_admitted",
    });
    await admitAll(id, ["carol"], now + 1000);
    const before = await redisNow(fx.redis);
    const reply = await issue(fx.redis, k, { userId: "carol", couponId: "c1" });
    expect(reply).toMatchObject({ kind: "issued", remaining: 99 });
    const issuedAt = reply.kind === "issued" ? reply.issuedAt : 0;
    expect(issuedAt).toBeGreaterThanOrEqual(before);
    expect(await fx.redis.zscore(k.running, "carol")).toBeNull();
    expect(await fx.redis.hget(k.issued, "carol")).toBe(`c1|${issuedAt}`);
  });

  it("says not_found for an event Redis does not know, so the caller can warm it", async () => {
    expect(await issue(fx.redis, fx.keys.event(424242), { userId: "d", couponId: "c" })).toEqual({
      kind: "not_found",
    });
  });
});

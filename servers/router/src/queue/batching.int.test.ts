import { enter, status } from "@rushgate/redis";
import { createRedisEvent, type RedisFixture, useRedis } from "@rushgate/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createQueueDeps } from "./index";

let fx: RedisFixture;
const queueOf = () =>
  createQueueDeps({ redis: fx.redis, keys: fx.keys, secret: "test-secret-of-some-length" });

beforeEach(async () => {
  fx = await useRedis();
});
afterEach(async () => {
  vi.restoreAllMocks();
  await fx.cleanup();
});

describe("the router's queue batching", () => {
  it("answers the polls of one turn with one script call, each as a lone poll is answered", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, { startsAt: Date.now() + 3_600_000 });
    const users = Array.from({ length: 40 }, (_, i) => `u${i}`);
    for (const u of users) await enter(fx.redis, fx.keys.event(id), u);
    const batch = queueOf().status;
    const calls = vi.spyOn(fx.redis, "rgStatusV8");

    // One of them twice, and one who never entered.
    const asked = [...users, "u7", "stranger"];
    const replies = await Promise.all(asked.map((u) => batch(id, u)));

    expect(calls).toHaveBeenCalledTimes(1);
    calls.mockRestore();
    const lone = await Promise.all(asked.map((u) => status(fx.redis, fx.keys.event(id), u)));
    expect(replies).toEqual(lone);
    expect(replies[0]).toMatchObject({ kind: "waiting", position: 1, waiting: 40 });
    expect(replies[40]).toMatchObject({ kind: "waiting", position: 8 });
    expect(replies[41]).toEqual({ kind: "not_in_queue" });
  });

  it("keeps events apart, and a later turn makes a new call", async () => {
    const a = await createRedisEvent(fx.redis, fx.keys, { startsAt: Date.now() + 3_600_000 });
    const b = await createRedisEvent(fx.redis, fx.keys, { startsAt: Date.now() + 3_600_000 });
    await enter(fx.redis, fx.keys.event(a.id), "x");
    const batch = queueOf().status;
    const calls = vi.spyOn(fx.redis, "rgStatusV8");

    const [inA, inB] = await Promise.all([batch(a.id, "x"), batch(b.id, "x")]);
    expect(inA).toMatchObject({ kind: "waiting", position: 1 });
    expect(inB).toEqual({ kind: "not_in_queue" });
    expect(calls).toHaveBeenCalledTimes(2);

    await batch(a.id, "x");
    expect(calls).toHaveBeenCalledTimes(3);
  });

  it("passes a Redis failure to every poll of the batch", async () => {
    const { id } = await createRedisEvent(fx.redis, fx.keys, {});
    const batch = queueOf().status;
    vi.spyOn(fx.redis, "rgStatusV8").mockRejectedValueOnce(new Error("connection lost"));
    const results = await Promise.allSettled([batch(id, "a"), batch(id, "b")]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });

  it("queues the entries of one turn with one script call, in the order they came", async () => {
    const batched = await createRedisEvent(fx.redis, fx.keys, { startsAt: Date.now() + 3_600_000 });
    const alone = await createRedisEvent(fx.redis, fx.keys, { startsAt: Date.now() + 3_600_000 });
    const users = ["a", "b", "a", "c"];
    const batch = queueOf().enter;
    const calls = vi.spyOn(fx.redis, "rgEnterV10");
    const replies = await Promise.all(users.map((u) => batch(batched.id, u)));
    expect(calls).toHaveBeenCalledTimes(1);
    calls.mockRestore();

    const one: unknown[] = [];
    for (const u of users) one.push(await enter(fx.redis, fx.keys.event(alone.id), u));
    expect(replies).toEqual(one);
    expect(replies.map((r) => (r.kind === "waiting" ? r.position : r.kind))).toEqual([1, 2, 1, 3]);
    expect(await fx.redis.zrange(fx.keys.event(batched.id).waiting, 0, -1)).toEqual(["a", "b", "c"]);
  });
});

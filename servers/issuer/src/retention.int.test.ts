import { issuanceJobId } from "@rushgate/api";
import { countIssuances } from "@rushgate/db";
import { createRedisEvent } from "@rushgate/testing";
import { describe, expect, it } from "vitest";
import { reconcile } from "./reconciler";
import { useIssuerFixture } from "./test-fixture";

const t = useIssuerFixture();

/** Issues `users` while the event is open, then moves its end `endedMsAgo` into the past. */
async function endedEvent(users: string[], endedMsAgo: number) {
  const { id } = await createRedisEvent(t.fx.redis, t.fx.keys, { stock: 10 });
  for (const user of users) await t.issueThenCrash(id, user);
  const endsAt = Date.now() - endedMsAgo;
  await t.fx.redis.hset(t.fx.keys.event(id).meta, "endsAt", endsAt);
  await t.fx.redis.zadd(t.fx.keys.events, endsAt, String(id));
  return id;
}

/** Every key under the event's hash tag, found the way an operator would look (SCAN). */
async function keysOf(eventId: number): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await t.fx.redis.scan(
      cursor,
      "MATCH",
      `${t.fx.prefix}:{ev:${eventId}}*`,
      "COUNT",
      1000,
    );
    cursor = next;
    found.push(...keys);
  } while (cursor !== "0");
  return found;
}

describe("retention of ended events", () => {
  it("removes every Redis key of an event once it ended a retention ago and MySQL has all of it", async () => {
    const users = ["r-1", "r-2", "r-3"];
    const id = await endedEvent(users, 180_000);
    await t.fx.redis.zadd(t.fx.keys.event(id).waiting, 1, "never-admitted");
    await t.fx.redis.zadd(t.fx.keys.event(id).running, Date.now() - 1, "expired-slot");
    expect((await keysOf(id)).length).toBeGreaterThan(3);

    // First pass: the issuances are not in MySQL yet, so the event stays and its jobs are made.
    expect(await reconcile(t.deps(0, 5_000))).toMatchObject({ requeued: 3, retired: 0 });
    // Jobs are waiting: still not retired.
    expect(await reconcile(t.deps(0, 5_000))).toMatchObject({ requeued: 0, retired: 0 });
    await t.drain(id, 3);

    expect(await reconcile(t.deps(0, 5_000))).toMatchObject({ retired: 1 });
    expect(await keysOf(id)).toEqual([]);
    expect(await t.fx.redis.zscore(t.fx.keys.events, String(id))).toBeNull();
    expect(await countIssuances(t.database.db, { eventId: id })).toBe(3);
    // Nothing left to do, and nothing comes back.
    expect(await reconcile(t.deps(0, 5_000))).toMatchObject({ checked: 0, retired: 0 });
    expect(await keysOf(id)).toEqual([]);
  });

  it("keeps an ended event while its retention runs", async () => {
    const id = await endedEvent(["kept"], 180_000);
    await reconcile(t.deps(0, 3_600_000));
    await t.drain(id, 1);
    expect(await reconcile(t.deps(0, 3_600_000))).toMatchObject({ retired: 0 });
    expect(await t.fx.redis.hlen(t.fx.keys.event(id).issued)).toBe(1);
  });

  it("keeps an event for two minutes after its end even with no retention: the scheduler may still tick it", async () => {
    const id = await endedEvent(["quiet"], 30_000);
    await reconcile(t.deps(0, 0));
    await t.drain(id, 1);
    expect(await reconcile(t.deps(0, 0))).toMatchObject({ retired: 0 });
    await t.fx.redis.zadd(t.fx.keys.events, Date.now() - 121_000, String(id));
    expect(await reconcile(t.deps(0, 0))).toMatchObject({ retired: 1 });
  });

  it("keeps an ended event while an issuance is missing from MySQL, even one too young to repair", async () => {
    const id = await endedEvent(["young"], 180_000);
    expect(await reconcile(t.deps(3_600_000, 0))).toMatchObject({ checked: 0, retired: 0 });
    expect(await t.fx.redis.hlen(t.fx.keys.event(id).issued)).toBe(1);
  });

  it("keeps an ended event while a job for it is still to run, though MySQL has the row", async () => {
    const id = await endedEvent(["dup"], 180_000);
    await reconcile(t.deps(0, 0));
    await t.drain(id, 1);
    // A late duplicate delivery of a persisted issuance.
    const job = { eventId: id, userId: "dup", couponId: "RG-dup", issuedAt: Date.now() };
    await t.queue.add("issue", job, { jobId: issuanceJobId(id, "dup") });
    expect(await reconcile(t.deps(0, 0))).toMatchObject({ retired: 0 });
    await t.drain(id, 1);
    expect(await reconcile(t.deps(0, 0))).toMatchObject({ retired: 1 });
    expect(await keysOf(id)).toEqual([]);
  });

  it("is safe with several issuers: two reconcilers retiring one event at once leave nothing", async () => {
    const id = await endedEvent(["a", "b"], 180_000);
    await reconcile(t.deps(0, 0));
    await t.drain(id, 2);
    const results = await Promise.all([reconcile(t.deps(0, 0)), reconcile(t.deps(0, 0))]);
    expect(results.map((r) => r.retired).reduce((a, b) => a + b)).toBeGreaterThanOrEqual(1);
    expect(await keysOf(id)).toEqual([]);
    expect(await t.fx.redis.zscore(t.fx.keys.events, String(id))).toBeNull();
    expect(await countIssuances(t.database.db, { eventId: id })).toBe(2);
  });
});

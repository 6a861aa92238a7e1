import { countIssuances } from "@rushgate/db";
import { useDatabase } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Outcome } from "./client";
import { type Platform, startPlatform } from "./platform";
import { waitFor } from "./wait";

let p: Platform;
const database = useDatabase();

beforeAll(async () => {
  p = await startPlatform();
});
afterAll(async () => {
  await p.close();
  await database.close();
});

/**
 * Resolves once the router's gate has a snapshot, taken after this call began, of every event it
 * tracks: it sees every change made to Redis before. Watched on a probe event that is sold out,
 * so that an entry changes nothing: its end moves to the past and back, and each move is awaited
 * in the router's answers (409 event_not_open, then 410 sold_out). The sync that showed the second
 * move began after the one that showed the first had finished, so after this call, whatever order
 * the router syncs its events in.
 */
async function routerResynced() {
  const probe = await p.client.createEvent({ stock: 1 });
  const k = p.keys.event(probe);
  await p.redis.set(k.remaining, "0");
  const endsAt = String(await p.redis.hget(k.meta, "endsAt"));
  const moves: [string, number][] = [
    [String(Date.now() - 3_600_000), 409],
    [endsAt, 410],
  ];
  for (const [value, status] of moves) {
    await p.redis.hset(k.meta, "endsAt", value);
    const seen = await waitFor(
      () => p.client.enter(probe, "probe"),
      (r) => r.status === status,
    );
    expect(seen.status).toBe(status);
  }
}

describe("the rush, end to end through the router", () => {
  it("admits directly under the threshold and issues a coupon that reaches MySQL", async () => {
    const eventId = await p.client.createEvent({ stock: 3 });
    const user = `direct-${p.prefix}`; // the test database outlives runs: a user of this run only
    const entry = await p.client.enter(eventId, user);
    expect(entry.status).toBe(200);
    expect(entry.body).toMatchObject({
      status: "admitted",
      token: expect.any(String),
      expiresAt: expect.any(String),
    });

    const issued = await p.client.issue(eventId, user, String(entry.body.token));
    expect(issued.status).toBe(201);
    expect(issued.body).toMatchObject({
      status: "issued",
      couponId: expect.stringMatching(/^RG-/),
      remaining: 2,
    });

    const coupons = await waitFor(
      () =>
        p.client.call<{ coupons: { state: string; couponId: string }[] }>("GET", "/api/me/coupons", { user }),
      (r) => r.body.coupons.some((c) => c.state === "persisted"),
    );
    expect(coupons.body.coupons).toEqual([
      expect.objectContaining({ eventId, couponId: issued.body.couponId, state: "persisted" }),
    ]);
    const info = await p.client.call("GET", `/api/events/${eventId}`);
    expect(info.body).toMatchObject({ id: eventId, stock: 3, status: "open" });
    expect(Number(info.body.remaining)).toBeLessThanOrEqual(3);
  });

  it("queues everyone over the threshold, then admits them through the scheduler", async () => {
    const eventId = await p.client.createEvent({ stock: 10, rpmThreshold: 0 });
    const entry = await p.client.enter(eventId, "queued-1");
    expect(entry.status).toBe(202);
    expect(entry.body).toMatchObject({
      status: "waiting",
      position: 1,
      waiting: 1,
      pollAfterMs: expect.any(Number),
    });
    const admitted = await waitFor(
      () => p.client.status(eventId, "queued-1"),
      (r) => r.body.status === "admitted",
    );
    expect(admitted.status).toBe(200);
    expect((await p.client.issue(eventId, "queued-1", String(admitted.body.token))).status).toBe(201);
  });

  it("lets no newcomer overtake people already waiting, even when the threshold rises", async () => {
    const eventId = await p.client.createEvent({ stock: 100, rpmThreshold: 0, runningCapacity: 1 });
    // One holder fills running; the rest queue behind in arrival order.
    await p.redis.zadd(p.keys.event(eventId).running, Date.now() + 60_000, "holder");
    for (let i = 0; i < 5; i++) expect((await p.client.enter(eventId, `early-${i}`)).status).toBe(202);
    await p.redis.hset(p.keys.event(eventId).meta, "rpmThreshold", "1000000");
    await p.redis.zrem(p.keys.event(eventId).running, "holder");
    await routerResynced(); // the router's gate sees the higher threshold and the free slot
    const late = await p.client.enter(eventId, "late");
    expect(late.status).toBe(202);
    expect(late.body.position).toBeGreaterThan(1);
    const admitted = await waitFor(
      () => p.client.status(eventId, "early-0"),
      (r) => r.body.status === "admitted",
    );
    expect(admitted.body.status).toBe("admitted");
    expect((await p.client.status(eventId, "late")).body).toMatchObject({ status: "waiting" });
  });

  it("gives 500 concurrent users exactly 50 coupons for a stock of 50, each in MySQL once", async () => {
    const eventId = await p.client.createEvent({ stock: 50 });
    const users = Array.from({ length: 500 }, (_, i) => `crowd-${i}`);
    const outcomes = await Promise.all(users.map((u) => p.client.rush(eventId, u)));
    const count = (o: Outcome) => outcomes.filter((x) => x === o).length;
    expect({ issued: count("issued"), soldOut: count("sold_out"), other: count("other") }).toEqual({
      issued: 50,
      soldOut: 450,
      other: 0,
    });
    const persisted = await waitFor(
      () => countIssuances(database.db, { eventId }),
      (n) => n >= 50,
    );
    expect(persisted).toBe(50);
    const [rows] = await database.pool.query(
      "SELECT user_id, COUNT(*) AS n FROM coupon_issuances WHERE event_id = ? GROUP BY user_id HAVING n > 1",
      [eventId],
    );
    expect(rows).toEqual([]);
    expect(await p.redis.hlen(p.keys.event(eventId).issued)).toBe(50);
    const stats = await p.client.stats(eventId);
    expect(stats.body).toMatchObject({ issued: 50, remaining: 0, persisted: 50, queued: 0, failed: 0 });
  });

  it("gives one user who tries 25 times at once exactly one coupon", async () => {
    const eventId = await p.client.createEvent({ stock: 10 });
    const outcomes = await Promise.all(Array.from({ length: 25 }, () => p.client.rush(eventId, "eager")));
    expect(outcomes.filter((o) => o === "issued")).toHaveLength(1);
    expect(outcomes.filter((o) => o === "already_issued")).toHaveLength(24);
    const persisted = await waitFor(
      () => countIssuances(database.db, { eventId }),
      (n) => n >= 1,
    );
    expect(persisted).toBe(1);
    expect((await p.client.call("GET", `/api/events/${eventId}`)).body).toMatchObject({ stock: 10 });
  });

  it("says sold_out at entry and in the queue once the stock is gone", async () => {
    const eventId = await p.client.createEvent({ stock: 1, rpmThreshold: 0 });
    expect((await p.client.enter(eventId, "w1")).status).toBe(202);
    expect((await p.client.enter(eventId, "w2")).status).toBe(202);
    const admitted = await waitFor(
      () => p.client.status(eventId, "w1"),
      (r) => r.body.status === "admitted",
    );
    expect((await p.client.issue(eventId, "w1", String(admitted.body.token))).status).toBe(201);
    expect((await p.client.status(eventId, "w2")).body).toEqual({ status: "sold_out" });
    const late = await p.client.enter(eventId, "w3");
    expect(late.status).toBe(410);
    expect(late.body).toMatchObject({ error: { code: "sold_out" } });
    // The router's snapshot says sold out, yet the one who has the coupon is told so first, as
    // every script answers them (event-state.lua): their entry leads to it, and issuing again is
    // already_issued.
    await waitFor(
      () => p.client.enter(eventId, `late-${Date.now()}`),
      (r) => r.status === 410,
    );
    const owner = await p.client.enter(eventId, "w1");
    expect(owner.status).toBe(200);
    expect(owner.body.status).toBe("admitted");
    const again = await p.client.issue(eventId, "w1", String(owner.body.token));
    expect(again.body).toMatchObject({ error: { code: "already_issued" } });
    expect((await p.client.status(eventId, "w1")).body.status).toBe("admitted");
  });

  it("answers a status poll the same on the raw fast path (X-User-Id) and through the app (uid cookie)", async () => {
    const eventId = await p.client.createEvent({ rpmThreshold: 0, runningCapacity: 1 });
    await p.redis.zadd(p.keys.event(eventId).running, Date.now() + 60_000, "holder");
    await p.client.enter(eventId, "first");
    await p.client.enter(eventId, "both-ways");
    const fast = await p.client.status(eventId, "both-ways");
    const viaApp = await p.client.call("GET", `/api/queue/${eventId}/status`, {
      headers: { cookie: "uid=both-ways" },
    });
    expect(fast.status).toBe(200);
    expect(viaApp).toMatchObject({ status: fast.status, body: fast.body });
    expect(fast.body).toMatchObject({ status: "waiting", position: 2, waiting: 2 });
    expect(fast.headers["x-request-id"]).toBeTruthy();
    const stranger = await p.client.status(eventId, "stranger");
    const strangerViaApp = await p.client.call("GET", `/api/queue/${eventId}/status`, {
      headers: { cookie: "uid=stranger" },
    });
    expect(stranger).toMatchObject({ status: 404, body: { error: { code: "not_in_queue" } } });
    expect(strangerViaApp).toMatchObject({ status: 404, body: stranger.body });
  });

  it("lets a user leave the queue, twice, and then says not_in_queue", async () => {
    const eventId = await p.client.createEvent({ rpmThreshold: 0, runningCapacity: 1 });
    await p.redis.zadd(p.keys.event(eventId).running, Date.now() + 60_000, "holder");
    expect((await p.client.enter(eventId, "leaver")).status).toBe(202);
    expect((await p.client.leave(eventId, "leaver")).status).toBe(204);
    expect((await p.client.leave(eventId, "leaver")).status).toBe(204);
    const after = await p.client.status(eventId, "leaver");
    expect(after.status).toBe(404);
    expect(after.body).toMatchObject({ error: { code: "not_in_queue" } });
  });

  it("lists open and upcoming events and reports traffic to the admin", async () => {
    const now = Date.now();
    const upcoming = await p.client.createEvent({
      name: "Later",
      startsAt: new Date(now + 3_600_000).toISOString(),
      endsAt: new Date(now + 7_200_000).toISOString(),
    });
    // The list is cached for up to 1 s: the new event shows within that.
    const list = await waitFor(
      () => p.client.call<{ events: { id: number; status: string }[] }>("GET", "/api/events"),
      (r) => r.body.events.some((e) => e.id === upcoming),
    );
    expect(list.body.events).toContainEqual(expect.objectContaining({ id: upcoming, status: "upcoming" }));
    const traffic = await p.client.call("GET", "/admin/api/traffic", {
      token: "test-admin-token-0123456789",
    });
    expect(traffic.status).toBe(200);
    expect(traffic.body).toMatchObject({ rpmThreshold: 6000, liveRpm: expect.any(Object) });
  });
});

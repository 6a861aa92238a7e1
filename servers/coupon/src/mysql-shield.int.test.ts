import { createDb, type Database, insertEvent, insertIssuances } from "@rushgate/db";
import {
  prepareDatabase,
  type RedisFixture,
  TEST_ADMISSION_SECRET,
  TEST_DATABASE_URL,
  useRedis,
} from "@rushgate/testing";
import { mintToken } from "@rushgate/token";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CouponDeps, createApp } from "./app";
import { closeCouponDeps, createCouponDeps } from "./server";
import { postEvent, testCouponEnv } from "./test-fixture";

/**
 * MySQL is the record, not the hot path: probes of unknown events and coupon lists of users who
 * have none must not cost a query each. Counted with MySQL's own Com_select on a one-connection
 * pool that only this coupon instance uses, so other tests on the shared server do not count.
 * The database is this file's own: "does MySQL have events Redis does not hold" is a question
 * about the whole coupon_events table, which other tests fill with events of other prefixes.
 */
const dbUrl = new URL(TEST_DATABASE_URL);
dbUrl.pathname = `${dbUrl.pathname}_shield_${process.pid}`;
const url = dbUrl.toString();

let fx: RedisFixture;
let deps: CouponDeps;
let app: ReturnType<typeof createApp>;
const others: CouponDeps[] = [];

function env(extra: Record<string, string> = {}) {
  return testCouponEnv(fx.prefix, { DATABASE_URL: url, ...extra });
}

/** Another coupon instance on the same Redis and MySQL, as a second replica would be. */
function anotherInstance(extra: Record<string, string> = {}) {
  const d = createCouponDeps(env(extra), createDb(url, { connectionLimit: 1 }));
  others.push(d);
  return { deps: d, app: createApp(d) };
}

async function selects(database: Database): Promise<number> {
  const [rows] = await database.pool.query("SHOW SESSION STATUS LIKE 'Com_select'");
  return Number((rows as { Value: string }[])[0]?.Value);
}

async function createEvent(on = app): Promise<number> {
  const res = await postEvent(on, "shield", 100);
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: number }).id;
}

const coupons = async (userId: string, on = app) => {
  const res = await on.request("/api/me/coupons", { headers: { "x-user-id": userId } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { coupons: { eventId: number; state: string }[] }).coupons;
};

async function inBatches(n: number, fn: (i: number) => Promise<void>) {
  for (let i = 0; i < n; i += 100)
    await Promise.all(Array.from({ length: Math.min(100, n - i) }, (_, j) => fn(i + j)));
}

beforeAll(async () => {
  await prepareDatabase(url);
  fx = await useRedis();
  deps = createCouponDeps(env(), createDb(url, { connectionLimit: 1 }));
  app = createApp(deps);
});
afterAll(async () => {
  for (const d of [deps, ...others]) await closeCouponDeps(d);
  const admin = createDb(url, { connectionLimit: 1 });
  await admin.pool.query(`DROP DATABASE \`${dbUrl.pathname.slice(1)}\``);
  await admin.close();
  await fx.cleanup();
});

describe("MySQL shielded from lookups Redis can answer", () => {
  let first: number;

  it("2,000 lookups of distinct unknown event ids cost a handful of MySQL queries, not one each", async () => {
    first = await createEvent();
    const before = await selects(deps.database);
    await inBatches(2_000, async (i) => {
      const res = await app.request(`/api/events/${first + 1 + i}`);
      expect(res.status).toBe(404);
      expect(await res.json()).toMatchObject({ error: { code: "event_not_found" } });
    });
    const used = (await selects(deps.database)) - before;
    expect(used).toBeLessThanOrEqual(20);
  });

  it("an event created after its id was probed is visible here at once, and on another instance soon", async () => {
    const other = anotherInstance();
    const probed = first + 1;
    for (const instance of [app, other.app]) {
      expect((await instance.request(`/api/events/${probed}`)).status).toBe(404);
    }
    const created = await createEvent();
    expect(created).toBe(probed); // the id both instances had just called unknown
    expect((await app.request(`/api/events/${created}`)).status).toBe(200);
    await expect
      .poll(async () => (await other.app.request(`/api/events/${created}`)).status, { timeout: 10_000 })
      .toBe(200);
  });

  it("200 concurrent reads of the event list while it is refreshed cost one MySQL query", async () => {
    const other = anotherInstance(); // its list is not cached yet
    const before = await selects(other.deps.database);
    const replies = await Promise.all(Array.from({ length: 200 }, () => other.app.request("/api/events")));
    for (const res of replies) expect(res.status).toBe(200);
    expect((await selects(other.deps.database)) - before).toBe(1);
  });

  it("2,000 distinct users without coupons cost a handful of MySQL queries, not one each", async () => {
    const before = await selects(deps.database);
    await inBatches(2_000, async (i) => {
      expect(await coupons(`nobody-${i}`)).toEqual([]);
    });
    const used = (await selects(deps.database)) - before;
    expect(used).toBeLessThanOrEqual(20);
  });

  it("says pending while only Redis has a coupon and persisted once MySQL has it", async () => {
    const eventId = first;
    const expiresAt = Date.now() + 60_000;
    await fx.redis.zadd(fx.keys.event(eventId).running, expiresAt, "alice");
    const token = mintToken(TEST_ADMISSION_SECRET, { eventId, userId: "alice", expiresAt });
    const issued = await app.request(`/api/events/${eventId}/issue`, {
      method: "POST",
      headers: { "x-user-id": "alice", authorization: `Bearer ${token}` },
    });
    expect(issued.status).toBe(201);
    const { couponId } = (await issued.json()) as { couponId: string };
    expect(await coupons("alice")).toEqual([
      expect.objectContaining({ eventId, couponId, state: "pending" }),
    ]);
    // What the issuer does with the job (there is no issuer here).
    await insertIssuances(deps.db, [{ eventId, userId: "alice", couponId, issuedAt: new Date() }]);
    await expect
      .poll(() => coupons("alice"), { timeout: 10_000 })
      .toEqual([expect.objectContaining({ eventId, couponId, state: "persisted" })]);
  });

  it("reads an event Redis no longer holds from MySQL: one query per user, then reused", async () => {
    const other = anotherInstance({ ME_CACHE_TTL_MS: "60000" });
    // In MySQL only, as after Redis dropped an ended event's keys.
    const retired = await insertEvent(deps.db, {
      name: "retired",
      stock: 10,
      startsAt: new Date(Date.now() - 7_200_000),
      endsAt: new Date(Date.now() - 3_600_000),
      rpmThreshold: null,
      runningCapacity: 1000,
      admitPerTick: 200,
      admissionTtlSeconds: 300,
      idleTimeoutSeconds: 30,
    });
    await insertIssuances(deps.db, [
      { eventId: retired.id, userId: "bob", couponId: "RG-OLD", issuedAt: new Date(Date.now() - 5_000_000) },
    ]);
    await expect
      .poll(() => coupons("bob", other.app), { timeout: 10_000 })
      .toEqual([expect.objectContaining({ eventId: retired.id, couponId: "RG-OLD", state: "persisted" })]);
    const before = await selects(other.deps.database);
    await inBatches(100, async (i) => {
      expect(await coupons(`old-${i}`, other.app)).toEqual([]);
    });
    const firstLook = (await selects(other.deps.database)) - before;
    expect(firstLook).toBeGreaterThanOrEqual(100); // MySQL alone knows the retired event
    expect(firstLook).toBeLessThanOrEqual(105);
    await inBatches(100, async (i) => {
      expect(await coupons(`old-${i}`, other.app)).toEqual([]);
    });
    expect((await selects(other.deps.database)) - before - firstLook).toBeLessThanOrEqual(5);
  });
});

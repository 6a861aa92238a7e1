import { countIssuances } from "@rushgate/db";
import { useDatabase } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Platform, startPlatform } from "./platform";
import { waitFor } from "./wait";

let p: Platform;
const database = useDatabase();

beforeAll(async () => {
  p = await startPlatform({
    env: { EVENT_RETENTION_SECONDS: "1", RECONCILE_INTERVAL_MS: "200", RECONCILE_MIN_AGE_MS: "100" },
  });
});
afterAll(async () => {
  await p.close();
  await database.close();
});

/** Every key under the event's hash tag (SCAN, as an operator would look). */
async function keysOf(eventId: number): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await p.redis.scan(cursor, "MATCH", `${p.prefix}:{ev:${eventId}}*`, "COUNT", 1000);
    cursor = next;
    found.push(...keys);
  } while (cursor !== "0");
  return found;
}

describe("nothing grows forever (SPEC §7)", () => {
  it("after the end and the retention Redis holds nothing of the event, MySQL every issuance", async () => {
    const eventId = await p.client.createEvent({ stock: 20 });
    const users = Array.from({ length: 8 }, (_, i) => `keep-${p.prefix}-${i}`);
    const outcomes = await Promise.all(users.map((u) => p.client.rush(eventId, u)));
    expect(outcomes).toEqual(users.map(() => "issued"));
    // Someone admitted who never issued: their running slot outlives the scheduler's last tick.
    expect((await p.client.enter(eventId, `idle-${p.prefix}`)).status).toBe(200);
    expect((await keysOf(eventId)).length).toBeGreaterThan(0);

    // The drop ended three minutes ago (past the two minutes in which the scheduler may still
    // tick it), in MySQL and in Redis alike.
    const endsAt = Date.now() - 180_000;
    await database.pool.query("UPDATE coupon_events SET ends_at = ? WHERE id = ?", [
      new Date(endsAt),
      eventId,
    ]);
    await p.redis.hset(p.keys.event(eventId).meta, "endsAt", endsAt);
    await p.redis.zadd(p.keys.events, endsAt, String(eventId));

    expect(
      await waitFor(
        () => keysOf(eventId),
        (keys) => keys.length === 0,
        30_000,
      ),
    ).toEqual([]);
    expect(await p.redis.zscore(p.keys.events, String(eventId))).toBeNull();
    expect(await countIssuances(database.db, { eventId })).toBe(users.length);

    // The event and its coupons are still answered, from MySQL.
    // (Once the coupon server's 1 s cache of the event, from before the end was moved, has lapsed.)
    const info = await waitFor(
      () => p.client.call("GET", `/api/events/${eventId}`),
      (r) => r.body.status === "ended",
    );
    expect(info.body).toMatchObject({ id: eventId, stock: 20, remaining: 12, status: "ended" });
    const mine = await p.client.call<{ coupons: { eventId: number; state: string }[] }>(
      "GET",
      "/api/me/coupons",
      {
        user: users[0],
      },
    );
    expect(mine.body.coupons).toEqual([expect.objectContaining({ eventId, state: "persisted" })]);
    const stats = await p.client.stats(eventId);
    expect(stats.body).toMatchObject({ issued: 8, persisted: 8, queued: 0, failed: 0 });

    // Those reads warmed the event again from MySQL; the next reconcile retires it again.
    expect(
      await waitFor(
        () => keysOf(eventId),
        (keys) => keys.length === 0,
        30_000,
      ),
    ).toEqual([]);
  });
});

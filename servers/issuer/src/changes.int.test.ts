import { findEvent, insertChanges, insertEvent, listChanges } from "@rushgate/db";
import { addChanges, applyChanges, redisNow, warm } from "@rushgate/redis";
import { describe, expect, it } from "vitest";
import { writeBackChanges } from "./changes";
import { useIssuerFixture } from "./test-fixture";

const t = useIssuerFixture();

describe("the write-back of applied changes", () => {
  it("marks them applied at Redis's time and gives the event row the live settings, once, with two issuers at it", async () => {
    const now = Date.now();
    const row = await insertEvent(t.database.db, {
      name: "write-back",
      stock: 10,
      startsAt: new Date(now - 60_000),
      endsAt: new Date(now + 3_600_000),
      rpmThreshold: null,
      runningCapacity: 1000,
      admitPerTick: 200,
      admissionTtlSeconds: 300,
      idleTimeoutSeconds: 30,
      actWithinSeconds: 30,
    });
    const { redis, keys } = t.fx;
    const k = keys.event(row.id);
    const off = { paused: false, queueAll: false, entryClosed: false };
    const meta = { ...row, startsAt: now - 60_000, endsAt: now + 3_600_000, seed: null };
    await warm(redis, k, { ...meta, switches: off, globalSwitches: off }, 10);
    await redis.zadd(keys.events, now + 3_600_000, String(row.id));
    const at = await redisNow(redis);
    const changes = await insertChanges(t.database.db, {
      eventId: row.id,
      changes: [
        { at: at - 10, set: { admitPerTick: 500 } },
        { at: at - 5, set: { runningCapacity: 7, rpmThreshold: 3 } },
        { at: at + 600_000, set: { admitPerTick: 1 } },
      ],
    });
    await addChanges(
      redis,
      k,
      changes.map((c) => ({ id: c.id, at: c.applyAt.getTime(), set: JSON.parse(c.settings) })),
    );
    await applyChanges(redis, k, 1);

    const deps = { redis, keys, db: t.database.db };
    const written = await Promise.all([writeBackChanges(deps), writeBackChanges(deps)]);
    expect(written.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(2);
    const rows = await listChanges(t.database.db, { eventId: row.id });
    expect(rows.map((r) => r.state)).toEqual(["applied", "applied", "scheduled"]);
    expect(rows[0]?.appliedAt?.getTime()).toBeGreaterThanOrEqual(at);
    expect(await findEvent(t.database.db, { id: row.id })).toMatchObject({
      admitPerTick: 500,
      runningCapacity: 7,
      rpmThreshold: 3,
    });
    expect(await redis.exists(k.changesApplied)).toBe(0);
    expect(await writeBackChanges(deps)).toBe(0);
  });
});

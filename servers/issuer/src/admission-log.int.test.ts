import { admissionLog, countAdmissionLog, insertAdmissionLog } from "@rushgate/db";
import { admit, drainStream, enter, issue, leave, schedule } from "@rushgate/redis";
import { createRedisEvent } from "@rushgate/testing";
import { asc, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { drainAdmissionLogs, drainEventLog, logRow } from "./admission-log";
import { reconcile } from "./reconciler";
import { retireEvent } from "./retention";
import { useIssuerFixture } from "./test-fixture";

const t = useIssuerFixture();

/** A small rush on a real Redis: a direct admission, two waiters, one leaves, one is admitted. */
async function rush() {
  const { id } = await createRedisEvent(t.fx.redis, t.fx.keys, { stock: 10, runningCapacity: 1 });
  const k = t.fx.keys.event(id);
  expect((await admit(t.fx.redis, k, "first")).kind).toBe("admitted");
  expect((await enter(t.fx.redis, k, "second")).kind).toBe("waiting");
  expect((await enter(t.fx.redis, k, "third")).kind).toBe("waiting");
  expect((await issue(t.fx.redis, k, { userId: "first", couponId: "RG-1" })).kind).toBe("issued");
  await leave(t.fx.redis, k, "third");
  expect((await schedule(t.fx.redis, k, 1)).moved).toBe(1);
  return id;
}

describe("the admission log's drain into MySQL", () => {
  it("persists every record in log order, with Redis's times, and trims it from Redis", async () => {
    const id = await rush();
    const k = t.fx.keys.event(id);
    expect(await t.fx.redis.xlen(k.log)).toBe(6);

    expect(await drainAdmissionLogs({ ...t.deps(), db: t.database.db })).toBeGreaterThanOrEqual(6);
    expect(await t.fx.redis.xlen(k.log)).toBe(0);
    const rows = await t.database.db
      .select()
      .from(admissionLog)
      .where(eq(admissionLog.eventId, id))
      .orderBy(asc(admissionLog.streamMs), asc(admissionLog.streamSeq));
    expect(rows.map((r) => [r.kind, r.userId, r.seq, r.mode])).toEqual([
      ["admit", "first", null, "direct"],
      ["entry", "second", 1, null],
      ["entry", "third", 2, null],
      ["issue", "first", null, null],
      ["leave", "third", 2, null],
      ["admit", "second", 1, "queued"],
    ]);
    const [sec] = await t.fx.redis.time();
    for (const r of rows) expect(Math.abs(r.at.getTime() - Number(sec) * 1000)).toBeLessThan(10_000);
  });

  it("neither loses nor duplicates a record when the issuer dies between insert and trim", async () => {
    const id = await rush();
    const k = t.fx.keys.event(id);
    const crash = new Error("killed between insert and trim");
    await expect(
      drainStream(t.fx.redis, k.log, async (records) => {
        await insertAdmissionLog(
          t.database.db,
          records.map((r) => logRow(id, r)),
        );
        throw crash;
      }),
    ).rejects.toBe(crash);
    expect(await t.fx.redis.xlen(k.log)).toBe(6);
    expect(await countAdmissionLog(t.database.db, { eventId: id })).toBe(6);

    // The restarted issuer drains the same records again, and more that came meanwhile.
    await enter(t.fx.redis, k, "fourth");
    expect(await drainEventLog({ ...t.deps(), db: t.database.db }, id)).toBe(7);
    expect(await countAdmissionLog(t.database.db, { eventId: id })).toBe(7);
    expect(await t.fx.redis.xlen(k.log)).toBe(0);
  });

  it("keeps an ended event's keys while its log holds a record MySQL lacks, and retires it once drained", async () => {
    const id = await rush();
    const k = t.fx.keys.event(id);
    const endsAt = Date.now() - 180_000;
    await t.fx.redis.zadd(t.fx.keys.events, endsAt, String(id));

    expect(await retireEvent(t.fx.redis, t.fx.keys, id, endsAt)).toBe(false);
    expect(await t.fx.redis.exists(k.meta, k.log)).toBe(2);
    expect(await t.fx.redis.zscore(t.fx.keys.events, String(id))).toBe(String(endsAt));

    // The reconciler drains first (the issuance needs its job too), then retires.
    await reconcile(t.deps(0, 5_000));
    await t.drain(id, 1);
    expect(await reconcile(t.deps(0, 5_000))).toMatchObject({ retired: 1 });
    expect(await t.fx.redis.exists(k.meta, k.log)).toBe(0);
    expect(await countAdmissionLog(t.database.db, { eventId: id })).toBe(6);
  });
});

import { issuanceJobId } from "@rushgate/api";
import { countIssuances } from "@rushgate/db";
import { createRedisEvent } from "@rushgate/testing";
import { describe, expect, it } from "vitest";
import { reconcile } from "./reconciler";
import { useIssuerFixture } from "./test-fixture";

const t = useIssuerFixture();

describe("reconciler", () => {
  it("repairs an issuance whose process died between the Lua call and the enqueue: exactly one row", async () => {
    const { id } = await createRedisEvent(t.fx.redis, t.fx.keys, { stock: 10 });
    await t.issueThenCrash(id, "lost-user");
    expect(await t.queue.getJob(issuanceJobId(id, "lost-user"))).toBeUndefined();

    expect(await reconcile(t.deps())).toMatchObject({ requeued: 1 });
    // Running again while the job waits changes nothing: the job id is deterministic.
    expect(await reconcile(t.deps())).toMatchObject({ requeued: 0 });
    await t.drain(id, 1);
    expect(await countIssuances(t.database.db, { eventId: id })).toBe(1);
    const [rows] = await t.database.pool.query(
      "SELECT user_id, coupon_id FROM coupon_issuances WHERE event_id = ?",
      [id],
    );
    expect(rows).toEqual([{ user_id: "lost-user", coupon_id: "RG-lost-user" }]);

    // Once the row exists there is nothing left to repair.
    expect(await reconcile(t.deps())).toMatchObject({ requeued: 0 });
    expect(await countIssuances(t.database.db, { eventId: id })).toBe(1);
  });

  it("leaves issuances younger than the minimum age alone: their enqueue may be in flight", async () => {
    const { id } = await createRedisEvent(t.fx.redis, t.fx.keys, { stock: 10 });
    await t.issueThenCrash(id, "fresh");
    expect(await reconcile(t.deps(60_000))).toMatchObject({ checked: 0, requeued: 0 });
  });

  it("never duplicates: a job enqueued normally plus a reconcile plus a re-delivery make one row", async () => {
    const { id } = await createRedisEvent(t.fx.redis, t.fx.keys, { stock: 10 });
    await t.issueThenCrash(id, "twice");
    const job = { eventId: id, userId: "twice", couponId: "RG-twice", issuedAt: Date.now() };
    await t.queue.add("issue", job, { jobId: issuanceJobId(id, "twice") });
    await reconcile(t.deps());
    await t.drain(id, 1);

    // The job was removed on completion; a late duplicate delivery is absorbed by UNIQUE(event_id, user_id).
    await t.queue.add("issue", job, { jobId: issuanceJobId(id, "twice") });
    expect(await t.queue.getJobCounts("wait")).toEqual({ wait: 1 });
    await t.drain(id, 1);
    expect(await t.queue.getJobCounts("wait", "completed", "failed")).toEqual({
      wait: 0,
      completed: 0,
      failed: 0,
    });
    expect(await countIssuances(t.database.db, { eventId: id })).toBe(1);
  });
});

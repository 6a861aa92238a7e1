import { issuanceJobId } from "@rushgate/api";
import { countIssuances, createDb } from "@rushgate/db";
import { createRedisEvent } from "@rushgate/testing";
import { describe, expect, it } from "vitest";
import { syncFailedSets } from "./failed";
import { reconcile } from "./reconciler";
import { useIssuerFixture } from "./test-fixture";

const t = useIssuerFixture();

/** Enqueues issuances with a single attempt and runs a worker on a MySQL that is not there. */
async function failFor(eventId: number, users: string[]) {
  for (const user of users) {
    await t.issueThenCrash(eventId, user);
    const job = { eventId, userId: user, couponId: `RG-${user}`, issuedAt: Date.now() };
    await t.queue.add("issue", job, { jobId: issuanceJobId(eventId, user), attempts: 1 });
  }
  const away = createDb("mysql://root@127.0.0.1:1/nowhere", { connectionLimit: 1 });
  const worker = t.worker(away.db);
  worker.start();
  const failedSet = t.fx.keys.event(eventId).failed;
  const deadline = Date.now() + 15_000;
  while ((await t.fx.redis.scard(failedSet)) < users.length && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
  }
  await worker.stop();
  await away.close().catch(() => {});
}

describe("the failed count", () => {
  it("counts each issuance whose job failed for good, and forgets it once retried and written", async () => {
    const { id } = await createRedisEvent(t.fx.redis, t.fx.keys, { stock: 10 });
    const failedSet = t.fx.keys.event(id).failed;
    await failFor(id, ["f-1", "f-2", "f-3"]);
    expect((await t.fx.redis.smembers(failedSet)).sort()).toEqual(["f-1", "f-2", "f-3"]);
    expect(await t.queue.getJobCounts("failed")).toEqual({ failed: 3 });

    // MySQL is back: the reconciler retries them and the count drops to zero.
    expect(await reconcile(t.deps())).toMatchObject({ retried: 3, requeued: 0 });
    expect(await t.fx.redis.scard(failedSet)).toBe(0);
    await t.drain(id, 3);
    expect(await countIssuances(t.database.db, { eventId: id })).toBe(3);
    expect(await t.fx.redis.scard(failedSet)).toBe(0);
  });

  it("is repaired from BullMQ's failed set: a failure it missed is added, a stale mark removed", async () => {
    const { id } = await createRedisEvent(t.fx.redis, t.fx.keys, { stock: 10 });
    const failedSet = t.fx.keys.event(id).failed;
    await failFor(id, ["m-1", "m-2"]);
    await t.fx.redis.srem(failedSet, "m-1"); // as if the issuer died before counting it
    await t.fx.redis.sadd(failedSet, "ghost"); // as if counted just after a retry
    expect(await syncFailedSets(t.fx.redis, t.fx.keys, t.queue, [id])).toEqual({ added: 1, removed: 1 });
    expect((await t.fx.redis.smembers(failedSet)).sort()).toEqual(["m-1", "m-2"]);
  });

  it("loses nothing when BullMQ trims a failed job from its bounded history", async () => {
    const { id } = await createRedisEvent(t.fx.redis, t.fx.keys, { stock: 10 });
    await failFor(id, ["trimmed"]);
    await (await t.queue.getJob(issuanceJobId(id, "trimmed")))?.remove(); // as removeOnFail's count does
    // The user is still in the issued set without a row: the reconciler enqueues them again.
    expect(await reconcile(t.deps())).toMatchObject({ requeued: 1, retried: 0 });
    expect(await t.fx.redis.scard(t.fx.keys.event(id).failed)).toBe(0);
    await t.drain(id, 1);
    expect(await countIssuances(t.database.db, { eventId: id })).toBe(1);
  });
});

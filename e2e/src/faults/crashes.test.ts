import { ISSUANCE_QUEUE } from "@rushgate/api";
import { countIssuances } from "@rushgate/db";
import { useDatabase } from "@rushgate/testing";
import { Queue } from "bullmq";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { expectInvariants, runCrowd } from "./crowd";
import { startMariadb, stopMariadb } from "./services";
import { type Stack, startStack } from "./stack";

const database = useDatabase();
let stack: Stack | undefined;

afterEach(async () => {
  await stack?.close();
  stack = undefined;
});
afterAll(async () => {
  await database.close();
});

const users = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag}-${i}`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not reached in time");
    await sleep(20);
  }
}

function ctx(s: Stack) {
  return { db: database.db, pool: database.pool, redis: s.redis, keys: s.keys };
}

describe("nothing acknowledged is lost when a process dies", () => {
  it("kill -9 of the issuer mid-drain: its jobs are taken over, every coupon lands once", async () => {
    stack = await startStack({
      env: { ISSUER_CONCURRENCY: "10", ISSUER_BATCH_SIZE: "10", ISSUER_BATCH_WAIT_MS: "20" },
    });
    const s = stack;
    await s.kill("issuer");
    const eventId = await s.client.createEvent({ stock: 600 });
    const crowd = await runCrowd(s.client, eventId, users(800, `ik-${s.prefix}`));
    expect(crowd.acked.size).toBe(600);

    await s.start("issuer");
    await until(async () => (await countIssuances(database.db, { eventId })) > 0);
    const persistedAtKill = await countIssuances(database.db, { eventId });
    await s.kill("issuer", "SIGKILL");
    expect(persistedAtKill).toBeLessThan(600);
    await s.start("issuer");
    await expectInvariants(ctx(s), eventId, { stock: 600, demand: 800, acked: crowd.acked });
  });

  it("kill -9 of the coupon server mid-rush: the reconciler repairs any half-done issuance", async () => {
    stack = await startStack();
    const s = stack;
    const eventId = await s.client.createEvent({ stock: 500 });
    const rush = runCrowd(s.client, eventId, users(800, `ck-${s.prefix}`));
    await until(async () => (await s.redis.hlen(s.keys.event(eventId).issued)) >= 150);
    await s.kill("coupon", "SIGKILL");
    await sleep(500);
    await s.start("coupon");
    const crowd = await rush;
    expect(crowd.unfinished).toBe(0);
    expect(crowd.acked.size + crowd.alreadyIssued).toBeLessThanOrEqual(500);
    await expectInvariants(ctx(s), eventId, { stock: 500, demand: 800, acked: crowd.acked });
  });

  it("MariaDB away for 20 s during a rush: issuing keeps answering, the issuer catches up after", async () => {
    stack = await startStack();
    const s = stack;
    const eventId = await s.client.createEvent({ stock: 400 });
    let crowd: Awaited<ReturnType<typeof runCrowd>> | undefined;
    try {
      await stopMariadb();
      const before = Date.now();
      crowd = await runCrowd(s.client, eventId, users(600, `db-${s.prefix}`));
      // The whole rush was served while MySQL was down: issuance never waits for it.
      expect(crowd.acked.size).toBe(400);
      expect(crowd.soldOut).toBe(200);
      // Meanwhile every issuance is still a job (persisted jobs are removed), retried with back-off.
      const queue = new Queue(ISSUANCE_QUEUE, { connection: s.redis, prefix: s.keys.bullPrefix });
      const counts = await queue.getJobCounts("wait", "active", "delayed", "failed");
      const { wait = 0, active = 0, delayed = 0, failed = 0 } = counts;
      expect(wait + active + delayed + failed).toBe(400);
      // A job whose insert failed waits out its back-off in `delayed`: wait for that state (at
      // one given instant every job may be active, trying MySQL).
      await until(async () => ((await queue.getJobCounts("delayed")).delayed ?? 0) > 0, 15_000);
      await queue.close();
      const left = 20_000 - (Date.now() - before);
      if (left > 0) await sleep(left);
    } finally {
      await startMariadb();
    }
    await expectInvariants(ctx(s), eventId, { stock: 400, demand: 600, acked: crowd.acked }, 120_000);
  });

  it("every server's Redis connections killed mid-rush: they reconnect, nothing acknowledged is lost", async () => {
    stack = await startStack();
    const s = stack;
    const eventId = await s.client.createEvent({ stock: 500 });
    const rush = runCrowd(s.client, eventId, users(700, `rk-${s.prefix}`));
    await until(async () => (await s.redis.hlen(s.keys.event(eventId).issued)) >= 100);
    const clients = (await s.redis.client("LIST")) as string;
    const ours = clients
      .split("\n")
      .filter((line) => line.includes(s.prefix) && !line.includes(`name=test-${s.prefix}`))
      .map((line) => /\bid=(\d+)/.exec(line)?.[1])
      .filter((id): id is string => Boolean(id));
    expect(ours.length).toBeGreaterThanOrEqual(4);
    for (const id of ours) await s.redis.client("KILL", "ID", id);
    const crowd = await rush;
    expect(crowd.unfinished).toBe(0);
    await expectInvariants(ctx(s), eventId, { stock: 500, demand: 700, acked: crowd.acked });
  });
});

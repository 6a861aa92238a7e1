import {
  callDelta,
  commandCalls,
  countRoundTrips,
  startScratchRedis,
  TEST_ADMIN_TOKEN,
} from "@rushgate/testing";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Platform, startPlatform } from "./platform";
import { waitFor } from "./wait";

/**
 * SPEC §6 round-trip budgets, measured on the Redis side of a private redis-server (so no other
 * test's commands are counted). MONITOR gives every command a client sent — a script call is one
 * round trip, the commands it runs inside show up with source "lua" and are not counted — and
 * INFO commandstats must agree on the number of script calls. The router's periodic flush (one
 * pipeline: GET of the threshold plus one gate-sync script per tracked event) runs in the
 * background; it is subtracted by its GET count, since this test tracks a single event.
 * MONITOR cannot tell a pipeline from separate calls, so the issue's enqueue (BullMQ addBulk, one
 * pipeline per micro-batch) is counted from both sides: Redis sees exactly one add script per
 * issue, and the coupon server's batch histogram says how many pipelines carried them.
 */
let scratch: Awaited<ReturnType<typeof startScratchRedis>>;
let p: Platform;
let eventId: number;
const N = 300;
const report: Record<string, unknown>[] = [];

beforeAll(async () => {
  scratch = await startScratchRedis();
  p = await startPlatform({ redisUrl: scratch.url, schedulerEnabled: false, issuer: false, gateSyncMs: 250 });
  eventId = await p.client.createEvent({ stock: 10_000, runningCapacity: 10_000 });
  // Warm-up: load every script and let BullMQ finish connecting before anything is counted.
  const warm = await p.client.enter(eventId, "warmup");
  await p.client.issue(eventId, "warmup", String(warm.body.token));
  await p.client.status(eventId, "warmup");
  await p.client.leave(eventId, "warmup");
});
afterAll(async () => {
  console.table(report);
  await p.close();
  // Stopped once every connection of the platform has gone, so that none is left reconnecting.
  const watcher = new Redis(scratch.url);
  const clients = async () => Number(/^connected_clients:(\d+)/m.exec(await watcher.info("clients"))?.[1]);
  await waitFor(clients, (n) => n <= 1);
  watcher.disconnect();
  await scratch.stop();
});

async function measure(
  name: string,
  run: () => Promise<unknown>,
  countOwn?: (byCommand: Record<string, number>) => number,
  scriptsPerFlush = 1,
  requests = N,
) {
  const redis = p.redis as Redis; // a single redis-server: MONITOR and INFO read it whole
  const before = await commandCalls(redis);
  const started = performance.now();
  const trips = await countRoundTrips(redis, async () => {
    await run();
  });
  const ms = performance.now() - started;
  const stats = callDelta(before, await commandCalls(redis));
  const syncs = trips.byCommand.get ?? 0;
  const own = countOwn ? countOwn(trips.byCommand) : trips.total - 2 * syncs; // minus the background flushes
  // commandstats counts script calls once each, like MONITOR does; the two readings are taken a
  // moment apart, so one background flush (GET + one script call) may fall between them.
  expect(Math.abs((stats.evalsha ?? 0) - (trips.byCommand.evalsha ?? 0))).toBeLessThanOrEqual(
    scriptsPerFlush,
  );
  report.push({
    phase: name,
    requests,
    roundTrips: trips.total,
    flushes: syncs,
    perRequest: own / requests,
    ms: Math.round(ms),
  });
  return { delta: trips.byCommand, own, syncs, perRequest: own / requests };
}

/** The coupon server's addBulk calls so far (count) and the jobs they carried (sum). */
async function enqueueBatches(): Promise<{ count: number; sum: number }> {
  const text = await (await fetch(`${p.coupon.metricsUrl}/metrics`)).text();
  const read = (name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1]);
  return { count: read("rushgate_enqueue_batch_size_count"), sum: read("rushgate_enqueue_batch_size_sum") };
}

/** Requests from..N-1 (or 0..to-1 with `to`), 50 at a time. */
async function each(fn: (i: number) => Promise<{ status: number }>, expected: number, from = 0, to = N) {
  for (let i = from; i < to; i += 50) {
    const replies = await Promise.all(Array.from({ length: Math.min(50, to - i) }, (_, j) => fn(i + j)));
    for (const r of replies) expect(r.status).toBe(expected);
  }
}

/** One request after another: nothing for the router to batch. */
async function inTurn(fn: (i: number) => Promise<{ status: number }>, expected: number, to = N) {
  for (let i = 0; i < to; i++) expect((await fn(i)).status).toBe(expected);
}

const tokens: string[] = [];

describe("Redis round trips per request", () => {
  it("direct admission costs 1 (the running slot) and the gate decision 0", async () => {
    const m = await measure("direct admission", () =>
      each(async (i) => {
        const r = await p.client.enter(eventId, `direct-${i}`);
        tokens[i] = String(r.body.token);
        return r;
      }, 200),
    );
    expect(m.perRequest).toBe(1);
    expect(Object.keys(m.delta).filter((c) => c !== "evalsha" && c !== "get")).toEqual([]);
  });

  it("an entry that goes to the queue costs 1 (enter) and the router's gate 0", async () => {
    // The router applies the change as it answers: every entry below must queue (202).
    await p.client.call("PUT", "/admin/api/traffic", { token: TEST_ADMIN_TOKEN, body: { rpmThreshold: 0 } });
    const m = await measure("gate + enter, one at a time", () =>
      inTurn((i) => p.client.enter(eventId, `queued-${i}`), 202),
    );
    expect(m.perRequest).toBe(1);
    // 50 at once (entering again keeps the place): the router batches one turn's entries.
    const together = await measure("gate + enter, 50 at once", () =>
      each((i) => p.client.enter(eventId, `queued-${i}`), 202),
    );
    expect(together.perRequest).toBeLessThanOrEqual(1);
    // The flushes are periodic: their number follows the clock, not the request count.
    expect(m.syncs).toBeLessThan(N / 10);
  });

  it("a status poll costs 1, and polls that arrive together share one", async () => {
    const alone = await measure("status, one at a time", () =>
      inTurn((i) => p.client.status(eventId, `queued-${i}`), 200),
    );
    expect(alone.perRequest).toBe(1);
    // 50 at once: the router batches what one turn of its event loop read (queue/batch.ts).
    const together = await measure("status, 50 at once", () =>
      each((i) => p.client.status(eventId, `queued-${i}`), 200),
    );
    expect(together.perRequest).toBeLessThanOrEqual(1);
    expect(Object.keys(together.delta).filter((c) => c !== "evalsha" && c !== "get")).toEqual([]);
  });

  it("an issue costs at most 2: its issue script, and its share of one addBulk pipeline", async () => {
    // One at a time: exactly two script calls each, the issue script and BullMQ's add script of
    // its job (every 201 has its job in Redis), nothing else.
    const half = N / 2;
    const alone = await measure(
      "issue alone: script calls",
      () => inTurn((i) => p.client.issue(eventId, `direct-${i}`, tokens[i]), 201, half),
      undefined,
      1,
      half,
    );
    expect(alone.own).toBe(2 * half);
    expect(Object.keys(alone.delta).filter((c) => c !== "evalsha" && c !== "get")).toEqual([]);

    // 50 at once: the issue scripts of one turn are one call, and the adds of one tick travel in
    // one addBulk pipeline (one round trip), so an issue costs at most 2.
    const before = await enqueueBatches();
    const together = await measure(
      "issue, 50 at once: script calls",
      () => each((i) => p.client.issue(eventId, `direct-${i}`, tokens[i]), 201, half),
      undefined,
      1,
      N - half,
    );
    const after = await enqueueBatches();
    const batches = after.count - before.count;
    expect(after.sum - before.sum).toBe(N - half);
    expect(batches).toBeGreaterThanOrEqual(1);
    const issueScripts = together.own - (N - half);
    expect(issueScripts).toBeGreaterThanOrEqual(1);
    expect(issueScripts).toBeLessThanOrEqual(N - half);
    const perRequest = (issueScripts + batches) / (N - half);
    report.push({
      phase: "issue, 50 at once: round trips",
      requests: N - half,
      roundTrips: issueScripts + batches,
      perRequest,
    });
    expect(perRequest).toBeLessThanOrEqual(2);
  });

  it("leaving costs 1 and event info 0 to 1 (cached for a second)", async () => {
    const leave = await measure("leave", () => each((i) => p.client.leave(eventId, `queued-${i}`), 204));
    expect(leave.perRequest).toBe(1);
    // One read is one pipeline (HGETALL meta + GET remaining); count the reads by their HGETALL.
    const info = await measure(
      "event info",
      () => each(() => p.client.call("GET", `/api/events/${eventId}`), 200),
      (byCommand) => byCommand.hgetall ?? 0,
    );
    const reads = info.own;
    expect(reads).toBeGreaterThanOrEqual(1);
    expect(reads / N).toBeLessThan(0.1);
  });

  it("a shuffled pre-queue's entry and status cost 1 each while places wait for the shuffle", async () => {
    const hour = 3_600_000;
    const pre = await p.client.createEvent({
      stock: 10,
      prequeue: "shuffle",
      startsAt: new Date(Date.now() + hour).toISOString(),
      endsAt: new Date(Date.now() + 2 * hour).toISOString(),
    });
    expect((await p.client.enter(pre, "pre-warmup")).body).toMatchObject({ position: null });
    // The router tracks two events from here: each flush is its GET and two gate-sync scripts.
    const own = (byCommand: Record<string, number>) => (byCommand.evalsha ?? 0) - 2 * (byCommand.get ?? 0);
    const entry = await measure(
      "pre-queue entry",
      () => inTurn((i) => p.client.enter(pre, `pre-${i}`), 202),
      own,
      2,
    );
    expect(entry.perRequest).toBe(1);
    const status = await measure(
      "pre-queue status",
      () => inTurn((i) => p.client.status(pre, `pre-${i}`), 200),
      own,
      2,
    );
    expect(status.perRequest).toBe(1);
    expect(Object.keys(status.delta).filter((c) => c !== "evalsha" && c !== "get")).toEqual([]);
  });
});

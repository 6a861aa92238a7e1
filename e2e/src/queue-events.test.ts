import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Platform, startPlatform } from "./platform";
import { openStream, type SseMessage, type SseStream } from "./sse";
import { waitFor } from "./wait";

/**
 * GET /api/queue/:eventId/events: the status route's answers, pushed. Real servers, real Redis;
 * the router's stream tick is short so that a change arrives within a few hundred ms.
 */
let p: Platform;
const streams: SseStream[] = [];

beforeAll(async () => {
  p = await startPlatform({
    env: { STREAM_TICK_MS: "100", RATE_LIMIT_USER_PER_SEC: "1", RATE_LIMIT_USER_BURST: "6" },
  });
}, 60_000);

afterAll(async () => {
  for (const s of streams) s.close();
  await p?.close();
});

async function stream(eventId: number | string, user?: string): Promise<SseStream> {
  const s = await openStream(
    `${p.router.url}/api/queue/${eventId}/events`,
    user === undefined ? {} : { "x-user-id": user },
  );
  streams.push(s);
  return s;
}

const data = (m: SseMessage) => m.data as Record<string, unknown> & { error?: { code: string } };
const status = (wanted: string) => (m: SseMessage) => data(m).status === wanted;
const errorCode = (wanted: string) => (m: SseMessage) => data(m).error?.code === wanted;

/** Someone holding the only running slot, so everyone else waits until the test lets them in. */
async function queuedEvent(overrides: Record<string, unknown> = {}) {
  const eventId = await p.client.createEvent({ rpmThreshold: 0, runningCapacity: 1, ...overrides });
  await p.redis.zadd(p.keys.event(eventId).running, Date.now() + 60_000, "holder");
  return eventId;
}
const release = (eventId: number) => p.redis.zrem(p.keys.event(eventId).running, "holder");

describe("the event stream", () => {
  it("sends the waiting status, then the admission with a token that issues", async () => {
    const eventId = await queuedEvent();
    expect((await p.client.enter(eventId, "sse-a")).status).toBe(202);
    const polled = await p.client.status(eventId, "sse-a");
    const s = await stream(eventId, "sse-a");
    expect(s.status).toBe(200);
    expect(s.headers["content-type"]).toBe("text/event-stream; charset=utf-8");
    expect(s.headers["x-request-id"]).toBeTruthy();
    const first = await s.next(status("waiting"));
    expect(first.data).toEqual(polled.body);
    expect(first.data).toMatchObject({ position: 1, waiting: 1 });

    await release(eventId);
    const admitted = data(await s.next(status("admitted")));
    expect(admitted.token).toEqual(expect.any(String));
    expect((await p.client.issue(eventId, "sse-a", String(admitted.token))).status).toBe(201);
  });

  it("sends only changes: the position as people ahead leave, nothing while it holds", async () => {
    const eventId = await queuedEvent({
      startsAt: new Date(Date.now() + 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 7_200_000).toISOString(),
    });
    for (const u of ["sse-b1", "sse-b2"]) expect((await p.client.enter(eventId, u)).status).toBe(202);
    const s = await stream(eventId, "sse-b2");
    await s.next(status("waiting"));
    // Several ticks of the same state: still the one message.
    const start = p.router.streams.ticks();
    await waitFor(
      async () => p.router.streams.ticks(),
      (n) => n >= start + 5,
    );
    expect(s.messages).toHaveLength(1);
    await p.client.leave(eventId, "sse-b1");
    expect((await s.next((m) => data(m).position === 1)).data).toMatchObject({ waiting: 1 });
    expect(s.messages).toHaveLength(2);
  });

  it("pushes not_in_queue when the user leaves, and ends", async () => {
    const eventId = await queuedEvent();
    await p.client.enter(eventId, "sse-c");
    const s = await stream(eventId, "sse-c");
    await s.next(status("waiting"));
    await p.client.leave(eventId, "sse-c");
    expect((await s.next(errorCode("not_in_queue"))).data).toEqual(
      (await p.client.status(eventId, "sse-c")).body,
    );
    await s.ended;
  });

  it("pushes not_in_queue when the user is evicted from the queue", async () => {
    const eventId = await queuedEvent();
    await p.client.enter(eventId, "sse-d");
    const s = await stream(eventId, "sse-d");
    await s.next(status("waiting"));
    // What the scheduler's idle eviction does (schedule-8.lua): out of waiting and seen.
    const k = p.keys.event(eventId);
    await p.redis.multi().zrem(k.waiting, "sse-d").zrem(k.seen, "sse-d").exec();
    await s.next(errorCode("not_in_queue"));
    await s.ended;
  });

  it("pushes sold_out to those still waiting when the last coupon goes, and ends", async () => {
    const eventId = await queuedEvent({ stock: 1 });
    for (const u of ["sse-e1", "sse-e2"]) await p.client.enter(eventId, u);
    const s = await stream(eventId, "sse-e2");
    await s.next(status("waiting"));
    await release(eventId);
    const admitted = await waitFor(
      () => p.client.status(eventId, "sse-e1"),
      (r) => r.body.status === "admitted",
    );
    expect((await p.client.issue(eventId, "sse-e1", String(admitted.body.token))).status).toBe(201);
    expect((await s.next(status("sold_out"))).data).toEqual({ status: "sold_out" });
    await s.ended;
  });

  it("keeps a user with an open stream from idle eviction, and a closed stream does not", async () => {
    const eventId = await p.client.createEvent({
      idleTimeoutSeconds: 15,
      startsAt: new Date(Date.now() + 3_600_000).toISOString(),
      endsAt: new Date(Date.now() + 7_200_000).toISOString(),
    });
    for (const u of ["sse-f1", "sse-f2"]) expect((await p.client.enter(eventId, u)).status).toBe(202);
    const staying = await stream(eventId, "sse-f1");
    const leaving = await stream(eventId, "sse-f2");
    await Promise.all([staying.next(status("waiting")), leaving.next(status("waiting"))]);
    leaving.close();
    const waiting = p.keys.event(eventId).waiting;
    const evicted = await waitFor(
      () => p.redis.zscore(waiting, "sse-f2"),
      (score) => score === null,
      30_000,
    );
    expect(evicted).toBeNull();
    expect(await p.redis.zscore(waiting, "sse-f1")).not.toBeNull();
    // …and hears that one fewer person waits.
    expect((await staying.next((m) => data(m).waiting === 1)).data).toMatchObject({
      status: "waiting",
      position: 1,
    });
    expect(staying.messages.every(status("waiting"))).toBe(true);
  }, 40_000);

  it("lets one stream per user and event live: a second replaces the first", async () => {
    const eventId = await queuedEvent();
    await p.client.enter(eventId, "sse-g");
    const older = await stream(eventId, "sse-g");
    await older.next(status("waiting"));
    const newer = await stream(eventId, "sse-g");
    await newer.next(status("waiting"));
    await older.next((m) => m.event === "replaced");
    await older.ended;
    await p.client.leave(eventId, "sse-g");
    await newer.next(errorCode("not_in_queue"));
  });

  it("answers what the status route answers, as JSON and before any stream, when it cannot start", async () => {
    const open = await p.client.createEvent();
    await p.client.enter(open, "sse-h");
    const cases: [string, string | undefined][] = [
      ["abc", "sse-h1"],
      ["999999999", "sse-h2"],
      [String(open), "sse-h3"], // never entered
      [String(open), "no spaces allowed"],
      [String(open), undefined],
    ];
    for (const [eventId, user] of cases) {
      const s = await stream(eventId, user);
      await s.ended;
      const polled = await p.client.call("GET", `/api/queue/${eventId}/status`, { user });
      expect({ status: s.status, body: JSON.parse(s.text()) }, `${eventId} ${user}`).toEqual({
        status: polled.status,
        body: polled.body,
      });
      expect(s.status).toBeGreaterThanOrEqual(400);
      expect(s.headers["content-type"]).toContain("application/json");
    }
  });

  it("spends the status route's budget", async () => {
    const eventId = await queuedEvent();
    await p.client.enter(eventId, "sse-i");
    let last = await p.client.status(eventId, "sse-i");
    while (last.status === 200) last = await p.client.status(eventId, "sse-i");
    const s = await stream(eventId, "sse-i");
    await s.ended;
    expect(s.status).toBe(429);
    expect(s.headers["retry-after"]).toBeTruthy();
    expect(JSON.parse(s.text())).toEqual(last.body);
  });
});

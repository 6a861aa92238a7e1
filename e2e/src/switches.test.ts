import { countIssuances, findEvent } from "@rushgate/db";
import { redisNow } from "@rushgate/redis";
import { parseRouterEnv, startRouter } from "@rushgate/router";
import {
  TEST_ADMIN_TOKEN,
  TEST_ADMISSION_SECRET,
  TEST_DATABASE_URL,
  TEST_REDIS_URL,
  useDatabase,
} from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shortWindow, visit } from "./browser/http";
import { type Client, createClient, type Reply } from "./client";
import { type Platform, startPlatform } from "./platform";
import { waitFor } from "./wait";

/** The operator's kill switches (issue 13.1), each under a running rush, through the router. */
const database = useDatabase();
let p: Platform;
const admin = { token: TEST_ADMIN_TOKEN };
type Body = Record<string, unknown> & { error?: { code: string } };

beforeAll(async () => {
  p = await startPlatform();
});
afterAll(async () => {
  await p?.close();
});

const putSwitches = (c: Client, eventId: number, body: unknown) =>
  c.call<Body>("PUT", `/admin/api/events/${eventId}/switches`, { ...admin, body });
const putGlobal = (body: unknown) => p.client.call<Body>("PUT", "/admin/api/switches", { ...admin, body });
const codeOf = (r: Reply<Body>) => r.body?.error?.code;

/** Users entering one after another: their arrival order is the array's. */
async function arrive(eventId: number, tag: string, n: number): Promise<string[]> {
  const users = Array.from({ length: n }, (_, i) => `${tag}-${i}-${p.prefix}`);
  for (const u of users) expect((await p.client.enter(eventId, u)).status).toBe(202);
  return users;
}

/** Every user's status now (each poll also keeps the user's place, as a waiting page does). */
async function pollAll(eventId: number, users: string[]): Promise<Map<string, Reply<Body>>> {
  const replies = await Promise.all(
    users.map((u) => p.client.call<Body>("GET", `/api/queue/${eventId}/status`, { user: u })),
  );
  return new Map(users.map((u, i) => [u, replies[i] as Reply<Body>]));
}

const admittedIn = (replies: Map<string, Reply<Body>>) =>
  [...replies].filter(([, r]) => r.body.status === "admitted").map(([u]) => u);

describe("kill switches", () => {
  it("pause: nobody is admitted for its duration, waiters keep their place; resume: FIFO goes on from there", async () => {
    const eventId = await p.client.createEvent({ ...shortWindow(), rpmThreshold: 0, admitPerTick: 1 });
    const users = await arrive(eventId, "pause", 20);
    await waitFor(
      () => pollAll(eventId, users),
      (r) => admittedIn(r).length >= 3,
    );

    const paused = await putSwitches(p.client, eventId, { paused: true });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      before: { switches: { paused: false } },
      after: { switches: { paused: true }, effective: { paused: true } },
    });
    const k = p.keys.event(eventId);
    const frozen = await p.redis.zrange(k.waiting, 0, -1);
    expect(frozen.length).toBeGreaterThan(0);
    expect(frozen).toEqual(users.slice(users.length - frozen.length));
    const admittedBefore = users.slice(0, users.length - frozen.length);

    // Polling through at least 2 s of the scheduler's ticks (its own clock) while paused.
    const pausedAt = await redisNow(p.redis);
    const last = new Map<string, number>();
    await waitFor(
      async () => {
        for (const [u, r] of await pollAll(eventId, frozen)) {
          expect(r.status, u).toBe(200);
          expect(r.body, u).toMatchObject({ status: "waiting", paused: true, etaSeconds: null });
          const position = Number(r.body.position);
          expect(position).toBeLessThanOrEqual(last.get(u) ?? position);
          last.set(u, position);
        }
        return Number(await p.redis.hget(k.sched, "lastTick"));
      },
      (lastTick) => lastTick >= pausedAt + 2_000,
    );
    expect(await p.redis.zrange(k.waiting, 0, -1)).toEqual(frozen);
    expect(frozen.map((u) => last.get(u))).toEqual(frozen.map((_, i) => i + 1));
    // The waiting room says so in plain words (a newcomer joins the paused line at its end).
    const page = await visit(`${p.router.url}/queue/${eventId}`, { cookie: `uid=pause-page-${p.prefix}` });
    expect(page.text).toContain("Admissions are paused");
    expect(page.text).toMatch(/<div id="paused">/);
    frozen.push(`pause-page-${p.prefix}`);

    expect((await putSwitches(p.client, eventId, { paused: false })).body).toMatchObject({
      after: { switches: { paused: false } },
    });
    // FIFO from where it stopped: whoever is still waiting is always the tail of the arrivals.
    const done = await waitFor(
      async () => {
        const waiting = await p.redis.zrange(k.waiting, 0, -1);
        expect(waiting).toEqual(frozen.slice(frozen.length - waiting.length));
        return pollAll(eventId, users);
      },
      (r) => admittedIn(r).length === users.length,
    );
    expect(admittedIn(done)).toEqual(users);
    expect(admittedBefore.length).toBeGreaterThanOrEqual(3);
  });

  it("queue all: an arrival under the threshold waits in line, and is served", async () => {
    const eventId = await p.client.createEvent({ ...shortWindow() });
    expect((await p.client.enter(eventId, `qa-direct-${p.prefix}`)).status).toBe(200);
    expect((await putSwitches(p.client, eventId, { queueAll: true })).status).toBe(200);
    const user = `qa-queued-${p.prefix}`;
    const entry = await p.client.enter(eventId, user);
    expect(entry.status).toBe(202);
    expect(entry.body).toMatchObject({ status: "waiting", position: 1 });
    const served = await waitFor(
      () => p.client.status(eventId, user),
      (r) => r.body.status === "admitted",
    );
    expect(served.body.status).toBe("admitted");
  });

  it("close entry: a newcomer gets 409 entry_closed, a waiter who enters again keeps the place, and waiters are served", async () => {
    const eventId = await p.client.createEvent({ ...shortWindow(), rpmThreshold: 0, runningCapacity: 2 });
    const users = await arrive(eventId, "close", 8);
    await waitFor(
      () => pollAll(eventId, users),
      (r) => admittedIn(r).length === 2,
    );

    const closed = await putSwitches(p.client, eventId, { entryClosed: true });
    expect(closed.body).toMatchObject({ after: { switches: { entryClosed: true } } });
    const newcomer = await p.client.call<Body>("POST", `/api/events/${eventId}/entry`, {
      user: `close-new-${p.prefix}`,
    });
    expect(newcomer.status).toBe(409);
    expect(codeOf(newcomer)).toBe("entry_closed");
    expect(newcomer.body.error).toMatchObject({ message: expect.stringContaining("closed") });
    const again = await p.client.enter(eventId, users[7] as string);
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ status: "waiting", position: 6 });
    expect((await p.client.enter(eventId, users[0] as string)).body.status).toBe("admitted");

    // The pages say so in plain words.
    for (const path of [`/queue/${eventId}`, `/events/${eventId}`]) {
      const page = await visit(`${p.router.url}${path}`, { cookie: `uid=close-page-${p.prefix}` });
      expect(page.status, path).toBe(200);
      expect(page.text, path).toContain("Entry is closed");
    }

    const outcomes = await Promise.all(users.map((u) => p.client.rush(eventId, u)));
    expect(outcomes).toEqual(users.map(() => "issued"));
  });

  it("end now: waiters are told it has ended, slots are released, and every issued coupon reaches MySQL", async () => {
    const eventId = await p.client.createEvent({
      ...shortWindow(),
      stock: 40,
      rpmThreshold: 0,
      admitPerTick: 3,
      runningCapacity: 6,
    });
    const users = Array.from({ length: 60 }, (_, i) => `end-${i}-${p.prefix}`);
    const k = p.keys.event(eventId);
    const finals = Promise.all(users.map((u) => visitor(eventId, u)));
    await waitFor(
      () => p.redis.hlen(k.issued),
      (n) => n >= 8,
    );

    const ended = await p.client.call<Body>("POST", `/admin/api/events/${eventId}/end`, admin);
    expect(ended.status).toBe(200);
    const endsAt = String((ended.body.after as { endsAt: string }).endsAt);
    expect(Date.parse(endsAt)).toBeLessThan(
      Date.parse(String((ended.body.before as { endsAt: string }).endsAt)),
    );

    const results = await finals;
    const issued = results.filter((r) => r === "issued").length;
    expect(
      results.filter(
        (r) =>
          r !== "issued" &&
          r !== "status:event_not_open" &&
          r !== "issue:event_not_open" &&
          r !== "entry:event_not_open",
      ),
    ).toEqual([]);
    expect(results).toContain("status:event_not_open");

    expect((await findEvent(database.db, { id: eventId }))?.endsAt.toISOString()).toBe(endsAt);
    expect(Number(await p.redis.hget(k.meta, "endsAt"))).toBe(Date.parse(endsAt));
    expect(Number(await p.redis.zscore(p.keys.events, String(eventId)))).toBe(Date.parse(endsAt));
    expect(await p.redis.zcard(k.waiting)).toBe(0);
    expect(await p.redis.zcard(k.running)).toBe(0);
    expect(await p.redis.hlen(k.issued)).toBe(issued);
    const view = await waitFor(
      () => p.client.call<Body>("GET", `/api/events/${eventId}`),
      (r) => r.body.status === "ended",
    );
    expect(view.body.status).toBe("ended");
    expect(
      await waitFor(
        () => countIssuances(database.db, { eventId }),
        (n) => n === issued,
      ),
    ).toBe(issued);

    const page = await visit(`${p.router.url}/queue/${eventId}`, { cookie: `uid=end-page-${p.prefix}` });
    expect(page.text).toContain("This drop has ended");

    const twice = await p.client.call<Body>("POST", `/admin/api/events/${eventId}/end`, admin);
    expect([twice.status, codeOf(twice)]).toEqual([409, "event_not_open"]);
    const late = await putSwitches(p.client, eventId, { paused: true });
    expect([late.status, codeOf(late)]).toEqual([409, "event_not_open"]);
  });

  it("a global switch applies to every open event and to an event created after it was set", async () => {
    const e1 = await p.client.createEvent({ ...shortWindow() });
    const e2 = await p.client.createEvent({ ...shortWindow() });
    try {
      const set = await putGlobal({ entryClosed: true });
      expect(set.status).toBe(200);
      expect(set.body).toMatchObject({ before: { entryClosed: false }, after: { entryClosed: true } });
      const e3 = await p.client.createEvent({ ...shortWindow() });
      for (const id of [e1, e2, e3]) {
        const r = await p.client.call<Body>("POST", `/api/events/${id}/entry`, { user: `g-${id}` });
        expect([r.status, codeOf(r)], `event ${id}`).toEqual([409, "entry_closed"]);
      }
      const view = await p.client.call<Body>("GET", `/admin/api/events/${e3}/switches`, admin);
      expect(view.body).toMatchObject({
        switches: { entryClosed: false },
        global: { entryClosed: true },
        effective: { entryClosed: true },
      });
    } finally {
      expect((await putGlobal({ entryClosed: false })).body).toMatchObject({ after: { entryClosed: false } });
    }
    expect([200, 202]).toContain((await p.client.enter(e1, `g-after-${p.prefix}`)).status);
  });

  it("an event's own switches survive a Redis loss of the event (MySQL keeps them)", async () => {
    const eventId = await p.client.createEvent({ ...shortWindow(), rpmThreshold: 0 });
    await putSwitches(p.client, eventId, { paused: true, entryClosed: true });
    const k = p.keys.event(eventId);
    await p.redis.del(k.meta);
    const meta = await waitFor(
      async () => {
        await p.client.call("GET", `/api/events/${eventId}`);
        return p.redis.hget(k.meta, "switches");
      },
      (v) => v !== null,
    );
    expect(meta).toBe("pc");
  });

  it("a switch is live on two router instances within 1 s", async () => {
    const routers = await Promise.all([0, 1].map(() => startRouter(routerEnv())));
    try {
      const [a, b] = routers.map((r) => createClient(r.url)) as [Client, Client];
      const eventId = await p.client.createEvent({ ...shortWindow() });
      expect((await a.enter(eventId, `two-a-${p.prefix}`)).status).toBe(200);
      expect((await b.enter(eventId, `two-b-${p.prefix}`)).status).toBe(200);

      const changed = Date.now();
      expect((await putSwitches(a, eventId, { entryClosed: true })).status).toBe(200);
      let n = 0;
      for (const c of [a, b]) {
        const refused = await waitFor(
          () => c.call<Body>("POST", `/api/events/${eventId}/entry`, { user: `two-new-${n++}` }),
          (r) => codeOf(r) === "entry_closed",
          1_000,
        );
        expect(codeOf(refused)).toBe("entry_closed");
      }
      expect(Date.now() - changed).toBeLessThan(1_000);
    } finally {
      await Promise.all(routers.map((r) => r.close()));
    }
  });

  it("refuses bad switch requests with a 4xx and changes nothing", async () => {
    const eventId = await p.client.createEvent({ ...shortWindow() });
    const bad: [string, string, unknown, number][] = [
      ["PUT", `/admin/api/events/${eventId}/switches`, {}, 400],
      ["PUT", `/admin/api/events/${eventId}/switches`, { paused: "yes" }, 400],
      ["PUT", `/admin/api/events/${eventId}/switches`, { paused: true, extra: 1 }, 400],
      ["PUT", "/admin/api/switches", { queueAll: 1 }, 400],
      ["PUT", "/admin/api/events/999999999/switches", { paused: true }, 404],
      ["POST", "/admin/api/events/999999999/end", undefined, 404],
      ["GET", "/admin/api/events/abc/switches", undefined, 400],
    ];
    for (const [method, path, body, status] of bad)
      expect((await p.client.call(method, path, { ...admin, body })).status, `${method} ${path}`).toBe(
        status,
      );
    for (const [method, path] of [
      ["GET", "/admin/api/switches"],
      ["PUT", "/admin/api/switches"],
      ["POST", `/admin/api/events/${eventId}/end`],
    ] as const)
      expect((await p.client.call(method, path, { body: { paused: true } })).status, path).toBe(401);
    expect((await p.client.call<Body>("GET", "/admin/api/switches", admin)).body).toEqual({
      switches: { paused: false, queueAll: false, entryClosed: false },
    });
    expect(
      (await p.client.call<Body>("GET", `/admin/api/events/${eventId}/switches`, admin)).body,
    ).toMatchObject({
      switches: { paused: false, queueAll: false, entryClosed: false },
    });
  });
});

/** One user's visit, returning how it ended: "issued", or "<step>:<error code>". */
async function visitor(eventId: number, user: string): Promise<string> {
  let r = await p.client.call<Body>("POST", `/api/events/${eventId}/entry`, { user });
  let step = "entry";
  const deadline = Date.now() + 30_000;
  while (r.status === 202 || r.body.status === "waiting") {
    if (Date.now() > deadline) return "timeout";
    await new Promise((resolve) => setTimeout(resolve, 50));
    r = await p.client.call<Body>("GET", `/api/queue/${eventId}/status`, { user });
    step = "status";
  }
  if (r.status !== 200) return `${step}:${codeOf(r)}`;
  const issued = await p.client.call<Body>("POST", `/api/events/${eventId}/issue`, {
    user,
    token: String(r.body.token),
  });
  return issued.status === 201 ? "issued" : `issue:${codeOf(issued)}`;
}

function routerEnv() {
  return parseRouterEnv({
    NODE_ENV: "test",
    LOG_LEVEL: "silent",
    HOST: "127.0.0.1",
    PORT: "0",
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: p.prefix,
    DATABASE_URL: TEST_DATABASE_URL,
    ADMIN_TOKEN: TEST_ADMIN_TOKEN,
    ADMISSION_SECRET: TEST_ADMISSION_SECRET,
    SHUTDOWN_DRAIN_MS: "0",
    RATE_LIMIT_USER_PER_SEC: "0",
    RATE_LIMIT_IP_PER_SEC: "0",
    COUPON_URL: p.coupon.url,
    // The production period, so that "within 1 s" is shown as deployed.
    GATE_SYNC_MS: "250",
  });
}

import { type EventView, prequeueOrder, seedCommitment } from "@rushgate/api";
import { findEvent } from "@rushgate/db";
import { TEST_ADMIN_TOKEN, useDatabase } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Platform, startPlatform } from "./platform";
import { waitFor } from "./wait";

/**
 * The shuffled pre-queue through the real servers: the commitment is public from creation, the
 * seed is in no answer (public, admin, pages) until the shuffle has run, and then the order every
 * waiter sees is the one anyone can recompute from the revealed seed.
 */
let p: Platform;
const database = useDatabase();

beforeAll(async () => {
  p = await startPlatform({ tickMs: 100 });
});
afterAll(async () => {
  await p.close();
  await database.close();
});

const admin = { token: TEST_ADMIN_TOKEN };

/** Every answer that says something about the event, as text, to look for the seed in. */
async function everyAnswer(eventId: number, user: string): Promise<string[]> {
  const c = p.client;
  const answers = await Promise.all([
    c.call("GET", `/api/events/${eventId}`),
    c.call("GET", "/api/events"),
    c.stats(eventId),
    c.enter(eventId, user),
    c.status(eventId, user),
    c.call("GET", "/admin/api/traffic", admin),
  ]);
  const pages = await Promise.all(
    ["/", `/queue/${eventId}`, `/events/${eventId}`].map(async (path) =>
      (await fetch(`${p.router.url}${path}`, { headers: { "x-user-id": user }, redirect: "manual" })).text(),
    ),
  );
  return [...answers.map((a) => JSON.stringify(a.body)), ...pages];
}

describe("the shuffled pre-queue, end to end", () => {
  it("publishes the commitment at creation, hides the seed until the shuffle, then shows an order anyone can recompute", async () => {
    const startsIn = 6_000;
    const created = await p.client.call<EventView & { id: number }>("POST", "/admin/api/events", {
      ...admin,
      body: {
        name: "Shuffled drop",
        stock: 1,
        runningCapacity: 1,
        prequeue: "shuffle",
        startsAt: new Date(Date.now() + startsIn).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    const row = await findEvent(database.db, { id });
    const seed = String(row?.prequeueSeed);
    expect(seed).toMatch(/^[0-9a-f]{64}$/);
    expect(created.body).toMatchObject({
      prequeue: "shuffle",
      seedCommitment: seedCommitment(seed),
      seed: null,
      shuffledAt: null,
    });
    expect(JSON.stringify(created.body)).not.toContain(seed);

    const crowd = Array.from({ length: 30 }, (_, i) => `pq-${p.prefix}-${i}`);
    for (const user of crowd) {
      const entry = await p.client.enter(id, user);
      expect(entry.status).toBe(202);
      expect(entry.body).toMatchObject({ status: "waiting", position: null, prequeue: "shuffle" });
    }
    // Twenty entries of one user: one place.
    for (let i = 0; i < 20; i++) await p.client.enter(id, crowd[0] as string);
    const answers = await everyAnswer(id, crowd[1] as string);
    for (const text of answers) expect(text).not.toContain(seed);
    // The waiting page says which rule applies.
    expect(answers.find((a) => a.includes('id="queue"'))).toContain("gets a random place at");
    const before = await p.client.call<EventView>("GET", `/api/events/${id}`);
    expect(before.body).toMatchObject({ seedCommitment: seedCommitment(seed), seed: null });

    // The start: the scheduler shuffles, then the seed is revealed.
    const revealed = await waitFor(
      () => p.client.call<EventView>("GET", `/api/events/${id}`),
      (r) => r.body.seed !== null,
      startsIn + 10_000,
    );
    expect(revealed.body).toMatchObject({ seed, seedCommitment: seedCommitment(seed) });
    expect(Date.parse(String(revealed.body.shuffledAt))).toBeGreaterThanOrEqual(
      Date.parse(revealed.body.startsAt),
    );
    const late = `pq-${p.prefix}-late`;
    expect((await p.client.enter(id, late)).status).toBe(202);

    // Recomputed from the revealed seed alone: the head was admitted (one slot), everyone else
    // waits in that order, and the late arrival is behind them.
    const order = prequeueOrder(String(revealed.body.seed), crowd);
    const head = await p.client.status(id, order[0] as string);
    expect(head.body).toMatchObject({ status: "admitted" });
    for (const [i, user] of [...order.slice(1), late].entries()) {
      const s = await p.client.status(id, user);
      expect(s.body).toMatchObject({ status: "waiting", position: i + 1 });
      expect(s.body).not.toHaveProperty("prequeue");
    }
    const listed = await waitFor(
      () => p.client.call<{ events: EventView[] }>("GET", "/api/events"),
      (r) => r.body.events.find((e) => e.id === id)?.seed === seed,
    );
    expect(listed.body.events.find((e) => e.id === id)).toMatchObject({
      seed,
      shuffledAt: expect.any(String),
    });
  });

  it("leaves the fairness fields null for a first-come-first-served event", async () => {
    const id = await p.client.createEvent();
    const view = await p.client.call<EventView>("GET", `/api/events/${id}`);
    expect(view.body).toMatchObject({ prequeue: "fifo", seedCommitment: null, seed: null, shuffledAt: null });
    expect((await findEvent(database.db, { id }))?.prequeueSeed).toBeNull();
  });

  it("refuses an unknown pre-queue rule", async () => {
    const res = await p.client.call("POST", "/admin/api/events", {
      ...admin,
      body: {
        name: "x",
        stock: 1,
        prequeue: "lottery",
        startsAt: new Date().toISOString(),
        endsAt: new Date(Date.now() + 60_000).toISOString(),
      },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: "invalid_request" } });
  });
});

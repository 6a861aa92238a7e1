import { type ChangeView, MAX_PENDING_CHANGES } from "@rushgate/api";
import { findEvent, listChanges } from "@rushgate/db";
import { redisNow } from "@rushgate/redis";
import { TEST_ADMIN_TOKEN, useDatabase } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Platform, startPlatform } from "./platform";
import { waitFor } from "./wait";

/** Live settings, scheduled changes and the what-if preview (issue 13.2), through the router. */
let p: Platform;
const database = useDatabase();
beforeAll(async () => {
  p = await startPlatform({ env: { RECONCILE_INTERVAL_MS: "3600000" } });
});
afterAll(async () => {
  await p?.close();
  await database.close();
});

const admin = { token: TEST_ADMIN_TOKEN };
const iso = (ms: number) => new Date(ms).toISOString();
const changesOf = async (eventId: number) =>
  (await p.client.call<{ changes: ChangeView[] }>("GET", `/admin/api/events/${eventId}/changes`, admin)).body
    .changes;
const live = async (eventId: number) =>
  p.redis.hmget(p.keys.event(eventId).meta, "rpmThreshold", "admitPerTick", "runningCapacity");

describe("live settings", () => {
  it("PATCH changes MySQL and the live meta at once, answers before and after, and the router gates by it within 1 s", async () => {
    const eventId = await p.client.createEvent({ stock: 1000 });
    const largest = { rpmThreshold: 100_000_000, admitPerTick: 100_000, runningCapacity: 1_000_000 };
    const res = await p.client.call("PATCH", `/admin/api/events/${eventId}`, { ...admin, body: largest });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      eventId,
      before: { rpmThreshold: null, admitPerTick: 200, runningCapacity: 1000 },
      after: largest,
    });
    expect(await live(eventId)).toEqual(["100000000", "100000", "1000000"]);
    expect(await findEvent(database.db, { id: eventId })).toMatchObject(largest);

    // Threshold 0 queues everyone: the router's snapshot picks it up within a second.
    expect((await p.client.enter(eventId, `direct-${p.prefix}`)).status).toBe(200);
    const changedAt = Date.now();
    await p.client.call("PATCH", `/admin/api/events/${eventId}`, { ...admin, body: { rpmThreshold: 0 } });
    let i = 0;
    const queued = await waitFor(
      () => p.client.enter(eventId, `late-${i++}-${p.prefix}`),
      (r) => r.status === 202,
      5_000,
    );
    expect(queued.status).toBe(202);
    expect(Date.now() - changedAt).toBeLessThan(1_000);
    expect((await p.client.stats(eventId)).body.rpmThreshold).toBe(0);
  });

  it.each([
    ["no setting", {}],
    ["a setting that is not live", { stock: 5 }],
    ["one above the largest admitPerTick", { admitPerTick: 100_001 }],
    ["a zero capacity", { runningCapacity: 0 }],
    ["a negative threshold", { rpmThreshold: -1 }],
    ["a string", { admitPerTick: "5" }],
    ["a fraction", { admitPerTick: 1.5 }],
  ])("PATCH with %s is 400 and changes nothing", async (_, body) => {
    const eventId = await p.client.createEvent({});
    const before = await live(eventId);
    const res = await p.client.call("PATCH", `/admin/api/events/${eventId}`, { ...admin, body });
    expect(res.status).toBe(400);
    expect(await live(eventId)).toEqual(before);
    expect(await findEvent(database.db, { id: eventId })).toMatchObject({
      admitPerTick: 200,
      runningCapacity: 1000,
    });
  });

  it("needs the admin token and a known event", async () => {
    const eventId = await p.client.createEvent({});
    const body = { admitPerTick: 5 };
    expect((await p.client.call("PATCH", `/admin/api/events/${eventId}`, { body })).status).toBe(401);
    expect((await p.client.call("PATCH", "/admin/api/events/999999999", { ...admin, body })).status).toBe(
      404,
    );
    expect((await p.client.call("GET", `/admin/api/events/${eventId}/changes`)).status).toBe(401);
    expect((await p.client.call("DELETE", `/admin/api/events/${eventId}/changes/1`)).status).toBe(401);
    expect((await p.client.call("POST", `/admin/api/events/${eventId}/preview`, { body: {} })).status).toBe(
      401,
    );
  });
});

describe("scheduled changes", () => {
  it("the largest schedule of the largest values applies in full, ends at its last steps, and MySQL learns of it", async () => {
    const eventId = await p.client.createEvent({ stock: 10 });
    const now = await redisNow(p.redis);
    const ramp = (setting: string, to: number, offset: number) => ({
      setting,
      from: 1,
      to,
      // Far enough ahead that none has applied (and left the pending count) before the next POST.
      startAt: iso(now + 8_000 + offset),
      durationSeconds: 2,
      steps: MAX_PENDING_CHANGES / 10,
    });
    const ramps = [
      ...[0, 1, 2].map((i) => ramp("admitPerTick", 100_000, i)),
      ...[0, 1, 2].map((i) => ramp("runningCapacity", 1_000_000, i)),
      ...[0, 1, 2, 3].map((i) => ramp("rpmThreshold", 100_000_000, i)),
    ];
    const res = await p.client.call<{ changes: ChangeView[] }>(
      "POST",
      `/admin/api/events/${eventId}/changes`,
      {
        ...admin,
        body: { ramps },
      },
    );
    expect(res.status).toBe(201);
    expect(res.body.changes).toHaveLength(MAX_PENDING_CHANGES);
    const more = { changes: [{ at: iso(now + 5_000), admitPerTick: 2 }] };
    const refused = await p.client.call("POST", `/admin/api/events/${eventId}/changes`, {
      ...admin,
      body: more,
    });
    expect(refused.status).toBe(400);

    const rows = await waitFor(
      () => listChanges(database.db, { eventId }),
      (r) => r.length === MAX_PENDING_CHANGES && r.every((c) => c.state === "applied"),
      20_000,
    );
    expect(rows.filter((c) => c.state === "applied")).toHaveLength(MAX_PENDING_CHANGES);
    expect(await live(eventId)).toEqual(["100000000", "100000", "1000000"]);
    expect(await findEvent(database.db, { id: eventId })).toMatchObject({
      rpmThreshold: 100_000_000,
      admitPerTick: 100_000,
      runningCapacity: 1_000_000,
    });
  });

  it("cancel removes a pending change before its time; an applied or cancelled one is 409", async () => {
    const eventId = await p.client.createEvent({});
    const now = await redisNow(p.redis);
    const body = {
      changes: [
        { at: iso(now + 600_000), admitPerTick: 7 },
        { at: iso(now), admitPerTick: 9 },
      ],
    };
    const res = await p.client.call<{ changes: ChangeView[] }>(
      "POST",
      `/admin/api/events/${eventId}/changes`,
      {
        ...admin,
        body,
      },
    );
    expect(res.status).toBe(201);
    const [due, later] = res.body.changes;
    const path = (id?: number) => `/admin/api/events/${eventId}/changes/${id}`;
    const cancelled = await p.client.call("DELETE", path(later?.id), admin);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ before: { state: "scheduled" }, after: { state: "cancelled" } });
    expect((await p.client.call("DELETE", path(later?.id), admin)).status).toBe(409);
    const applied = await waitFor(
      () => changesOf(eventId),
      (c) => c.find((x) => x.id === due?.id)?.state === "applied",
    );
    expect(applied.map((c) => c.state).sort()).toEqual(["applied", "cancelled"]);
    expect((await p.client.call("DELETE", path(due?.id), admin)).status).toBe(409);
    expect((await p.client.call("DELETE", path(999_999_999), admin)).status).toBe(404);
    expect(await live(eventId)).toEqual(["", "9", "1000"]);
    expect(await p.redis.zcard(p.keys.event(eventId).changesDue)).toBe(0);
  });

  it.each([
    ["a time long past", (now: number) => ({ changes: [{ at: iso(now - 3_600_000), admitPerTick: 5 }] })],
    [
      "a time after the event's end",
      (now: number) => ({ changes: [{ at: iso(now + 7_200_000), admitPerTick: 5 }] }),
    ],
    ["a value out of bounds", (now: number) => ({ changes: [{ at: iso(now), admitPerTick: 0 }] })],
    [
      "a ramp beyond the bounds",
      (now: number) => ({
        ramps: [
          {
            setting: "runningCapacity",
            from: 1,
            to: 1_000_001,
            startAt: iso(now),
            durationSeconds: 60,
            steps: 2,
          },
        ],
      }),
    ],
    ["an unknown field", (now: number) => ({ changes: [{ at: iso(now), admitPerTick: 5 }], dryRun: true })],
  ])("a schedule with %s is 400 and saves nothing", async (_, make) => {
    const eventId = await p.client.createEvent({});
    const body = make(await redisNow(p.redis));
    for (const route of ["changes", "preview"]) {
      const res = await p.client.call("POST", `/admin/api/events/${eventId}/${route}`, { ...admin, body });
      expect(res.status).toBe(400);
    }
    expect(await changesOf(eventId)).toEqual([]);
    expect(await p.redis.exists(p.keys.event(eventId).changesDue)).toBe(0);
  });
});

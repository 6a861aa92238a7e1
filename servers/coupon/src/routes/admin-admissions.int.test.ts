import { parseExport, seedCommitment, verifyFairness } from "@rushgate/api";
import { findEvent, insertAdmissionLog, type NewAdmissionLogRow } from "@rushgate/db";
import { type RedisFixture, TEST_ADMIN_TOKEN, useRedis } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CouponDeps, createApp } from "../app";
import { closeCouponDeps, createCouponDeps } from "../server";
import { postEvent, testCouponEnv } from "../test-fixture";
import { exportEvent } from "./admin-admissions";

let fx: RedisFixture;
let deps: CouponDeps;
let app: ReturnType<typeof createApp>;
const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

beforeAll(async () => {
  fx = await useRedis();
  deps = createCouponDeps(testCouponEnv(fx.prefix));
  app = createApp(deps);
});
afterAll(async () => {
  await closeCouponDeps(deps);
  await fx.cleanup();
});

async function createEvent(stock: number): Promise<number> {
  const res = await postEvent(app, "export", stock);
  return ((await res.json()) as { id: number }).id;
}

describe("GET /admin/api/events/:eventId/admissions", () => {
  it("reads a log longer than a page in order, with each admission's time of entry, and ends it", async () => {
    const eventId = await createEvent(5_000);
    const base = Date.now() - 30_000;
    const rows: NewAdmissionLogRow[] = [];
    // 1,300 entries, then their admissions: more than one page of MySQL rows.
    for (let i = 1; i <= 1_300; i++)
      rows.push({
        eventId,
        streamMs: base,
        streamSeq: i,
        kind: "entry",
        userId: `u${i}`,
        seq: i,
        at: new Date(base),
      });
    for (let i = 1; i <= 1_300; i++)
      rows.push({
        eventId,
        streamMs: base + 1 + Math.floor(i / 500),
        streamSeq: i,
        kind: "admit",
        userId: `u${i}`,
        seq: i,
        at: new Date(base + 1 + Math.floor(i / 500)),
        mode: "queued",
      });
    // Inserted out of order and twice: the export follows the stream ids, once each.
    await insertAdmissionLog(deps.db, rows.slice(1_000));
    await insertAdmissionLog(deps.db, rows);

    const res = await app.request(`/admin/api/events/${eventId}/admissions`, { headers: admin });
    expect(res.status).toBe(200);
    const ex = parseExport(await res.text());
    expect(ex.records).toHaveLength(2_600);
    expect(ex.end).toEqual({ type: "end", records: 2_600 });
    expect(ex.records[1_300]).toMatchObject({
      kind: "admit",
      userId: "u1",
      enteredAt: new Date(base).toISOString(),
    });
    expect(ex.records.slice(0, 1_300).every((r) => r.enteredAt === null)).toBe(true);
    // Stock 5,000 but nobody issued in this synthetic log: (c) accepts admissions without issues.
    expect(verifyFairness(ex).ok).toBe(true);
  });

  it("exports an event without pre-queue fields as it is, in CSV too", async () => {
    const eventId = await createEvent(1);
    const res = await app.request(`/admin/api/events/${eventId}/admissions?format=csv`, { headers: admin });
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const ex = parseExport(await res.text());
    expect(ex.event).toMatchObject({ eventId, stock: 1, issued: 0 });
    expect(ex.event).toMatchObject({ prequeue: "fifo" });
    expect(ex.event).not.toHaveProperty("seedCommitment");
    expect(ex.records).toEqual([]);
    expect(ex.end).toEqual({ type: "end", records: 0 });
  });

  it("reveals an event's seed only once it has started, with its commitment from the first", async () => {
    const eventId = await createEvent(1);
    const row = await findEvent(deps.db, { id: eventId });
    if (!row) throw new Error("event not found");
    const fair = { ...row, prequeue: "shuffle" as const, prequeueSeed: "ab".repeat(32) };
    const before = exportEvent(fair, 0, row.startsAt.getTime() - 1);
    expect(before).toMatchObject({ prequeue: "shuffle", seedCommitment: seedCommitment("ab".repeat(32)) });
    expect(before).not.toHaveProperty("seed");
    expect(exportEvent(fair, 0, row.startsAt.getTime())).toMatchObject({ seed: "ab".repeat(32) });
  });

  it("refuses without the admin token, a bad format, and an unknown event", async () => {
    expect((await app.request("/admin/api/events/1/admissions")).status).toBe(401);
    expect((await app.request("/admin/api/events/1/admissions?format=xml", { headers: admin })).status).toBe(
      400,
    );
    expect((await app.request("/admin/api/events/1/admissions?extra=1", { headers: admin })).status).toBe(
      400,
    );
    expect((await app.request("/admin/api/events/999999999999/admissions", { headers: admin })).status).toBe(
      404,
    );
  });
});

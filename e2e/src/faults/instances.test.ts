import { useDatabase } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createClient } from "../client";
import { waitFor } from "../wait";
import { expectInvariants, runCrowd } from "./crowd";
import { type Stack, startStack } from "./stack";

/** Two of every server, as real processes sharing one Redis and one MySQL. */
const database = useDatabase();
let s: Stack;
beforeAll(async () => {
  s = await startStack({ instances: 2 });
});
afterAll(async () => {
  await s.close();
  await database.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const admin = { token: "test-admin-token-0123456789" };

describe("two of each server", () => {
  it("sums live RPM over both routers, and a threshold change reaches both within 1 s", async () => {
    const a = createClient(s.serverUrl("router"));
    const b = createClient(s.serverUrl("router-2"));
    const eventId = await a.createEvent({ stock: 1000 });
    for (let i = 0; i < 30; i++) expect((await a.enter(eventId, `ra-${i}`)).status).toBe(200);
    for (let i = 0; i < 20; i++) expect((await b.enter(eventId, `rb-${i}`)).status).toBe(200);
    // Each router reports Redis's sum plus what it has not flushed: 50 on both once both flushed.
    for (const client of [a, b]) {
      const liveRpm = () =>
        client
          .call<{ liveRpm: Record<string, number> }>("GET", "/admin/api/traffic", admin)
          .then((r) => r.body.liveRpm[String(eventId)]);
      expect(await waitFor(liveRpm, (n) => n === 50)).toBe(50);
    }

    const changedAt = Date.now();
    await a.call("PUT", "/admin/api/traffic", { ...admin, body: { rpmThreshold: 0 } });
    let seenAfter = Number.POSITIVE_INFINITY;
    for (let i = 0; Date.now() - changedAt < 3_000; i++) {
      if ((await b.enter(eventId, `late-${i}`)).status === 202) {
        seenAfter = Date.now() - changedAt;
        break;
      }
      await sleep(20);
    }
    expect(seenAfter).toBeLessThan(1_000);
  });

  it("has exactly one scheduler at a time", async () => {
    const a = createClient(s.serverUrl("router"));
    const eventId = await a.createEvent({ stock: 1000, rpmThreshold: 0, admitPerTick: 1 });
    for (let i = 0; i < 20; i++) await a.enter(eventId, `q-${i}`);
    while (!(await s.redis.hget(s.keys.event(eventId).sched, "fence"))) await sleep(20); // first tick
    const holders = new Set<string>();
    const fences = new Set<string>();
    for (let i = 0; i < 20; i++) {
      holders.add(String(await s.redis.get(s.keys.schedulerLease)).split("-")[0] ?? "");
      fences.add(String(await s.redis.hget(s.keys.event(eventId).sched, "fence")));
      await sleep(50);
    }
    const pids = [s.pid("waiting-room"), s.pid("waiting-room-2")].map(String);
    expect(holders.size).toBe(1);
    expect(pids).toContain([...holders][0]);
    // Every tick of the event carried the same fencing token: one leader did all the work.
    expect(fences.size).toBe(1);
    expect(Number(await s.redis.zcard(s.keys.event(eventId).running))).toBeGreaterThan(0);
  });

  it("lets both issuers share the work without a duplicate", async () => {
    const eventId = await createClient(s.url).createEvent({ stock: 600 });
    const users = Array.from({ length: 600 }, (_, i) => `share-${s.prefix}-${i}`);
    const [first, second] = await Promise.all([
      runCrowd(createClient(s.serverUrl("router")), eventId, users.slice(0, 300)),
      runCrowd(createClient(s.serverUrl("router-2")), eventId, users.slice(300)),
    ]);
    const acked = new Map([...(first?.acked ?? []), ...(second?.acked ?? [])]);
    expect(acked.size).toBe(600);
    await expectInvariants({ db: database.db, pool: database.pool, redis: s.redis, keys: s.keys }, eventId, {
      stock: 600,
      demand: 600,
      acked,
    });
    const persisted = async (key: string) => {
      const text = await (await fetch(`${s.metricsUrl(key)}/metrics`)).text();
      return Number(/^rushgate_issuances_persisted_total\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
    };
    const [one, two] = [await persisted("issuer"), await persisted("issuer-2")];
    expect(one).toBeGreaterThan(0);
    expect(two).toBeGreaterThan(0);
    expect(one + two).toBeGreaterThanOrEqual(600);
  });
});

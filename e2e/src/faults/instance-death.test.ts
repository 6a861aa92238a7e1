import { useDatabase } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Client, createClient } from "../client";
import { waitFor } from "../wait";
import { expectInvariants, runCrowd } from "./crowd";
import { type Stack, startStack } from "./stack";

/**
 * One instance of a pair dies (kill -9) in the middle of a rush, and users see nothing of it: the
 * routers answer entry and status polls themselves from Redis, so a dead waiting room costs no
 * answer (the survivor takes the scheduler lease), and the routers retry a GET on the other
 * coupon server, so a dead coupon server costs no 503 on event info. MariaDB is never touched.
 */
const database = useDatabase();
let s: Stack;
beforeAll(async () => {
  s = await startStack({ instances: 2 });
});
afterAll(async () => {
  await s.close();
  await database.close();
});

const routers = (): [Client, Client] => [
  createClient(s.serverUrl("router")),
  createClient(s.serverUrl("router-2")),
];

describe("an instance dies mid-rush", () => {
  it("kill -9 of the scheduling waiting room: every poll still answered (no 503), the rush keeps §5", async () => {
    const [a, b] = routers();
    // Everyone queues, and the scheduler admits slowly, so the rush outlives the kill.
    const eventId = await a.createEvent({ stock: 100, rpmThreshold: 0, admitPerTick: 3 });
    const holder = async () => Number(String(await s.redis.get(s.keys.schedulerLease)).split("-")[0]);
    const rooms = ["waiting-room", "waiting-room-2"];
    const users = Array.from({ length: 240 }, (_, i) => `death-${s.prefix}-${i}`);
    const rush = Promise.all([
      runCrowd(a, eventId, users.slice(0, 120), { pollMs: 150 }),
      runCrowd(b, eventId, users.slice(120), { pollMs: 150 }),
    ]);

    // Mid-rush: some coupons issued, most of the stock still to go.
    const issued = await waitFor(
      () => s.redis.hlen(s.keys.event(eventId).issued),
      (n) => n >= 10,
      30_000,
    );
    expect(issued).toBeLessThan(100);
    const leaderPid = await holder();
    const leaderKey = rooms.find((key) => s.pid(key) === leaderPid);
    expect(leaderKey).toBeDefined();
    await s.kill(String(leaderKey), "SIGKILL");

    const [first, second] = await rush;
    const survivorPid = s.pid(rooms.find((key) => key !== leaderKey) ?? "");
    expect(await holder()).toBe(survivorPid);
    // A hiccup is any 5xx or transport error a user met on entry, status or issue.
    expect([...(first?.hiccups ?? []), ...(second?.hiccups ?? [])]).toEqual([]);
    expect((first?.unfinished ?? 0) + (second?.unfinished ?? 0)).toBe(0);
    const acked = new Map([...(first?.acked ?? []), ...(second?.acked ?? [])]);
    expect(acked.size).toBe(100);
    expect((first?.soldOut ?? 0) + (second?.soldOut ?? 0)).toBe(140);
    await expectInvariants({ db: database.db, pool: database.pool, redis: s.redis, keys: s.keys }, eventId, {
      stock: 100,
      demand: 240,
      acked,
    });
  });

  it("kill -9 of a coupon server: GET /api/events/:id through either router never answers 503", async () => {
    const clients = routers();
    const eventId = await clients[0].createEvent({ stock: 10 });
    const statuses = new Map<number, number>();
    const failures: string[] = [];
    let afterKill = 0;
    let killed = false;
    // Readers on both routers, before, during and after the kill, until each has had 200 answers
    // since the coupon server was gone.
    const readers = Array.from({ length: 16 }, async (_, i) => {
      const client = clients[i % 2] as Client;
      let seenAfter = 0;
      // Bounded, so that a router that stops answering fails the count below instead of hanging.
      const deadline = Date.now() + 90_000;
      while (seenAfter < 200 && Date.now() < deadline) {
        const wasKilled = killed;
        try {
          const res = await client.call("GET", `/api/events/${eventId}`);
          statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
          if (res.status !== 200) failures.push(`${res.status} ${JSON.stringify(res.body)}`);
        } catch (err) {
          failures.push(err instanceof Error ? err.message : String(err));
        }
        if (wasKilled) {
          seenAfter += 1;
          afterKill += 1;
        }
      }
    });
    await waitFor(
      async () => [...statuses.values()].reduce((x, y) => x + y, 0),
      (n) => n >= 500,
      30_000,
    );
    await s.kill("coupon-2", "SIGKILL");
    killed = true;
    await Promise.all(readers);
    expect(afterKill).toBe(16 * 200);
    expect(failures.slice(0, 5)).toEqual([]);
    expect([...statuses.keys()]).toEqual([200]);
  });
});

import { TEST_ADMIN_TOKEN, useDatabase } from "@rushgate/testing";
import { Agent, request } from "undici";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Platform, startPlatform } from "./platform";
import { redisState } from "./redis-state";

/**
 * Thousands of malformed requests to every endpoint, from a seeded generator (set FUZZ_SEED to
 * replay a run). Every request is wrong in at least one way, so each must get a 4xx JSON error,
 * no server may answer 5xx or fall over, and neither Redis nor MySQL may change.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);
const COUNT = Number(process.env.FUZZ_COUNT ?? 3000);

let p: Platform;
let eventId: number;
const agent = new Agent({ connections: 32 });
const database = useDatabase();

beforeAll(async () => {
  // No scheduler: its ticks are state changes of their own.
  p = await startPlatform({ schedulerEnabled: false });
  eventId = await p.client.createEvent({ stock: 5 });
  // Someone admitted and someone waiting, so there is state to protect.
  await p.client.enter(eventId, "real-user");
  await p.client.setThreshold(0); // the router applies it as it answers
  const waiting = await p.client.enter(eventId, "waiting-user");
  if (waiting.status !== 202) throw new Error(`waiting-user was not queued: ${waiting.status}`);
});
afterAll(async () => {
  await p.close();
  await agent.close();
  await database.close();
});

function prng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function snapshot() {
  const values = await redisState(p.redis, p.prefix);
  // MySQL: this test's event and its issuances. (An event created through this stack would also
  // show up in the Redis events set above; other test runs may share the database.)
  const [rows] = await database.pool.query(
    "SELECT e.stock, e.ends_at, (SELECT COUNT(*) FROM coupon_issuances i WHERE i.event_id = e.id) AS issued FROM coupon_events e WHERE e.id >= ? ORDER BY e.id LIMIT 1",
    [eventId],
  );
  return { values, mysql: rows };
}

describe("fuzz", () => {
  it(`${COUNT} malformed requests: only 4xx, no crash, no state change (seed ${SEED})`, async () => {
    const rand = prng(SEED);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
    const junk = (n: number) =>
      Array.from({ length: n }, () => String.fromCharCode(Math.floor(rand() * 0x2fff))).join("");
    const ascii = (n: number) =>
      Array.from({ length: n }, () => String.fromCharCode(33 + Math.floor(rand() * 94))).join("");
    const badIds = [
      "0",
      "-1",
      "abc",
      "1e3",
      "9".repeat(40),
      "%00",
      "..%2f..%2fetc",
      "1;DROP TABLE",
      "💥",
      " ",
      "0x10",
    ];
    const badUsers = ["", " ", "a b", "x".repeat(65), "semi;colon", "ünï", "<script>", "../x", "a\tb"];
    const unknownEvent = String(900_000_000 + Math.floor(rand() * 1000));
    const event = String(eventId);

    const before = await snapshot();
    const statuses = new Map<number, number>();
    const fiveHundreds: string[] = [];
    const targets = [p.router.url, p.waitingRoom.url, p.coupon.url];

    const one = async () => {
      const target = pick(targets);
      const user = pick([...badUsers, "fuzz-ok-user"]);
      const id = pick([...badIds, unknownEvent, event]);
      const headers: Record<string, string> = {};
      if (rand() < 0.8) headers["x-user-id"] = user;
      type Shape = { method: string; path: string; bad?: "user" | "token" | "admin" | "body" };
      const shapes: (() => Shape)[] = [
        () => ({ method: "POST", path: `/api/events/${pick(badIds)}/entry` }),
        () => ({ method: "POST", path: `/api/events/${id}/entry`, bad: "user" }),
        () => ({ method: "GET", path: `/api/queue/${id}/status`, bad: "user" }),
        () => ({ method: "DELETE", path: `/api/queue/${pick(badIds)}` }),
        () => ({ method: "POST", path: `/api/events/${id}/issue`, bad: "token" }),
        () => ({ method: "GET", path: `/api/events/${pick(badIds)}` }),
        () => ({ method: "GET", path: "/api/me/coupons", bad: "user" }),
        () => ({
          method: pick(["GET", "PUT", "POST", "DELETE"]),
          path: `/admin/api/${pick(["traffic", "events", `events/${id}/stats`])}`,
          bad: "admin",
        }),
        () => ({
          method: pick(["POST", "PUT"]),
          path: pick(["/admin/api/events", "/admin/api/traffic"]),
          bad: "body",
        }),
        () => ({
          method: pick(["PATCH", "PUT", "OPTIONS"]),
          path: pick(["/api/events", `/api/events/${event}`, "/api/me/coupons"]),
        }),
        () => ({ method: "GET", path: `/${junk(3).replace(/[?#]/g, "")}/${pick(badIds)}` }),
      ];
      const shape = pick(shapes)();
      if (shape.bad === "user") headers["x-user-id"] = pick(badUsers.filter(Boolean));
      if (shape.bad === "token")
        headers.authorization = pick([
          "Bearer ",
          "Bearer x.y.z",
          `Bearer v1.${event}.fuzz-ok-user.9999999999999.AAAA`,
          "Basic abc",
          ascii(20),
        ]);
      if (shape.bad === "admin")
        headers.authorization = pick(["", "Bearer", `Bearer ${TEST_ADMIN_TOKEN}x`, "Bearer dev-admin-token"]);
      let body: string | Buffer | undefined;
      if (shape.method !== "GET" && rand() < 0.7) {
        headers["content-type"] = pick([
          "application/json",
          "text/plain",
          "application/x-www-form-urlencoded",
          "application/json; charset=latin1",
        ]);
        body = pick([
          () => "{",
          () => JSON.stringify({ rpmThreshold: pick([-1, 1.5, "10", null, 1e20, [], {}]) }),
          () =>
            JSON.stringify({
              name: junk(10),
              stock: pick([0, -5, 1.2, "3", 1e12]),
              startsAt: junk(5),
              endsAt: "2020-01-01",
            }),
          () => "[".repeat(5000) + "]".repeat(5000),
          () => Buffer.from(Array.from({ length: 200 }, () => Math.floor(rand() * 256))),
          () => JSON.stringify({ __proto__: { admin: true }, constructor: { prototype: {} } }),
        ])();
      }
      if (shape.bad === "body") headers.authorization = `Bearer ${TEST_ADMIN_TOKEN}`;
      const path = encodeURI(decodeURI(shape.path).replace(/%/g, "%25")).replace(/%25/g, "%");
      try {
        const res = await request(`${target}${path}`, {
          method: shape.method as "GET",
          headers,
          body,
          dispatcher: agent,
        });
        const text = await res.body.text();
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 500)
          fiveHundreds.push(`${shape.method} ${target}${path} -> ${res.statusCode} ${text}`);
        else if (res.statusCode !== 204) expect(JSON.parse(text)).toHaveProperty("error.code");
      } catch (err) {
        fiveHundreds.push(`${shape.method} ${target}${path} -> ${err instanceof Error ? err.message : err}`);
      }
    };

    for (let i = 0; i < COUNT; i += 50) await Promise.all(Array.from({ length: 50 }, one));

    expect(fiveHundreds.slice(0, 5)).toEqual([]);
    expect([...statuses.keys()].every((s) => (s >= 400 && s < 500) || s === 204)).toBe(true);
    for (const server of [p.router, p.waitingRoom, p.coupon, p.issuer]) {
      expect((await fetch(`${server?.url}/readyz`)).status).toBe(200);
    }
    expect(await snapshot()).toEqual(before);
  });
});

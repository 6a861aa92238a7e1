import { createDb, type Database } from "@rushgate/db";
import { prepareDatabase, TEST_DATABASE_URL } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reply } from "./client";
import { expectInvariants, runCrowd } from "./faults/crowd";
import { type Platform, startPlatform } from "./platform";

/**
 * MySQL is the record, not the hot path (SPEC §1: "without melting the database"): a rush's
 * public traffic, from one client address under the shipped rate limits, is answered from Redis
 * and the servers' memory. Counted with MySQL's own `Com_select` (performance_schema is off on
 * MariaDB by default, so there is no per-account count): the run is compared with an idle period
 * of the same length, so that other clients of a shared development server are not counted.
 *
 * The database is this file's own: "does MySQL have events this Redis does not hold" (which makes
 * GET /api/me/coupons ask MySQL about every user) is a question about the whole coupon_events
 * table, which the other test files fill with events of other Redis prefixes.
 */
const dbUrl = new URL(TEST_DATABASE_URL);
dbUrl.pathname = `${dbUrl.pathname}_e2e_shield_${process.pid}`;
const url = dbUrl.toString();

const UNITS = 1_000; // ten requests each
const MYSQL_BUDGET = 100;

let p: Platform;
let database: Database;

beforeAll(async () => {
  await prepareDatabase(url);
  database = createDb(url, { connectionLimit: 2 });
  // The shipped defaults, which the other e2e tests turn off.
  p = await startPlatform({
    env: {
      DATABASE_URL: url,
      RATE_LIMIT_USER_PER_SEC: "5",
      RATE_LIMIT_USER_BURST: "10",
      RATE_LIMIT_IP_PER_SEC: "2000",
      RATE_LIMIT_IP_BURST: "4000",
    },
  });
});
afterAll(async () => {
  await p?.close();
  await database.pool.query(`DROP DATABASE IF EXISTS \`${dbUrl.pathname.slice(1)}\``);
  await database.close();
});

async function comSelect(): Promise<number> {
  const [rows] = await database.pool.query("SHOW GLOBAL STATUS LIKE 'Com_select'");
  return Number((rows as { Value: string }[])[0]?.Value);
}

/** Runs `fn` for every index with at most `width` at once. */
async function pooled(n: number, width: number, fn: (i: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await fn(next++);
    }),
  );
}

describe("MySQL shielded from a rush's public traffic", () => {
  it("10,000 public requests from one address cost MySQL at most 100 queries, beside a rush that keeps §5", async () => {
    const shop = await p.client.createEvent({ stock: 100_000, runningCapacity: 100_000 });
    const drop = await p.client.createEvent({ stock: 150 });
    const unknown = drop + 1_000; // ids only grow: far above anything this database will hold
    const user = (i: number) => `shield-${p.prefix}-${i}`;
    const expect4xx = (code: string) => (r: Reply) =>
      r.status >= 400 && (r.body as { error?: { code: string } }).error?.code === code;
    const isHtml = (r: Reply) => String(r.headers["content-type"]).startsWith("text/html");

    // One unit: a visitor's requests, in the order a visitor sends them. Each check names the answer
    // the route gives when it does its work (not a 429: limits must not be what spares MySQL).
    const unit: [string, (i: number) => Promise<Reply>, (r: Reply) => boolean][] = [
      ["list", () => p.client.call("GET", "/api/events"), (r) => r.status === 200],
      ["known", () => p.client.call("GET", `/api/events/${shop}`), (r) => r.status === 200],
      [
        "unknown",
        (i) => p.client.call("GET", `/api/events/${unknown + i}`),
        (r) => r.status === 404 && expect4xx("event_not_found")(r),
      ],
      [
        "coupons",
        (i) => p.client.call("GET", "/api/me/coupons", { user: user(i) }),
        (r) => r.status === 200 && Array.isArray(r.body.coupons) && r.body.coupons.length === 0,
      ],
      [
        "entry",
        (i) => p.client.enter(shop, user(i)),
        (r) => r.status === 200 && r.body.status === "admitted",
      ],
      [
        "status",
        (i) => p.client.status(shop, user(i)),
        (r) => r.status === 200 && r.body.status === "admitted",
      ],
      ["issue without token", (i) => p.client.issue(shop, user(i)), (r) => r.status === 403],
      ["home page", () => p.client.call("GET", "/"), (r) => r.status === 200 && isHtml(r)],
      [
        "event page",
        (i) => p.client.call("GET", `/events/${shop}`, { user: user(i) }),
        (r) => r.status === 200 && isHtml(r),
      ],
      ["stranger's status", (i) => p.client.status(shop, `stranger-${i}`), expect4xx("not_in_queue")],
    ];
    // Warm-up outside the count: caches start empty once, whatever the traffic.
    for (const [, send] of unit) await send(UNITS);

    const wrong: string[] = [];
    const started = Date.now();
    const before = await comSelect();
    const [, crowd] = await Promise.all([
      pooled(UNITS, 48, async (i) => {
        for (const [name, send, ok] of unit) {
          const r = await send(i);
          if (!ok(r)) wrong.push(`${name} ${r.status} ${JSON.stringify(r.body).slice(0, 120)}`);
        }
      }),
      runCrowd(
        p.client,
        drop,
        Array.from({ length: 300 }, (_, i) => `rush-${p.prefix}-${i}`),
        { pollMs: 250 }, // under the per-user limit of 5/s
      ),
    ]);
    const used = (await comSelect()) - before;
    const ms = Date.now() - started;

    // The same length of time with nothing sent: what the rest of the machine (and the platform's
    // own background work) costs meanwhile.
    const idleBefore = await comSelect();
    await new Promise((r) => setTimeout(r, ms)); // the idle period is the measurement, not a wait
    const idle = (await comSelect()) - idleBefore;
    console.log({ requests: UNITS * unit.length, ms, mysqlSelects: used, idleSelects: idle });

    expect(wrong.slice(0, 5)).toEqual([]);
    expect(used - idle).toBeLessThanOrEqual(MYSQL_BUDGET);

    expect(crowd.hiccups).toEqual([]);
    expect(crowd.unfinished).toBe(0);
    expect(crowd.acked.size).toBe(150);
    expect(crowd.soldOut + crowd.alreadyIssued).toBe(150);
    await expectInvariants({ db: database.db, pool: database.pool, redis: p.redis, keys: p.keys }, drop, {
      stock: 150,
      demand: 300,
      acked: crowd.acked,
    });
  }, 180_000); // the run, an idle period as long, then the drain
});

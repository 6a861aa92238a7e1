import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Platform, startPlatform } from "./platform";

let p: Platform;
beforeAll(async () => {
  p = await startPlatform({
    env: {
      RATE_LIMIT_USER_PER_SEC: "5",
      RATE_LIMIT_USER_BURST: "10",
      RATE_LIMIT_IP_PER_SEC: "200",
      RATE_LIMIT_IP_BURST: "300",
    },
  });
});
afterAll(async () => {
  await p.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("abuse", () => {
  it("turns away a client polling every 10 ms with 429 and Retry-After, and nobody else notices", async () => {
    const eventId = await p.client.createEvent({ rpmThreshold: 0 });
    await p.client.enter(eventId, "greedy");
    await p.client.enter(eventId, "polite");
    const greedy: number[] = [];
    const polite: number[] = [];
    let retryAfter: string | string[] | undefined;
    const until = Date.now() + 2_000;
    await Promise.all([
      (async () => {
        while (Date.now() < until) {
          const res = await p.client.status(eventId, "greedy");
          greedy.push(res.status);
          if (res.status === 429) retryAfter = res.headers["retry-after"];
          await sleep(10);
        }
      })(),
      (async () => {
        while (Date.now() < until) {
          polite.push((await p.client.status(eventId, "polite")).status);
          await sleep(300);
        }
      })(),
    ]);
    const limited = greedy.filter((s) => s === 429).length;
    // Burst 10 plus 5 a second for 2 s: at most about 20 answers, the rest refused.
    expect(greedy.length - limited).toBeLessThanOrEqual(22);
    expect(limited).toBeGreaterThan(greedy.length / 2);
    expect(Number(retryAfter)).toBeGreaterThanOrEqual(1);
    expect(polite.every((s) => s === 200)).toBe(true);
    const refused = await p.client.status(eventId, "greedy");
    if (refused.status === 429) expect(refused.body).toMatchObject({ error: { code: "too_many_requests" } });
  });

  it("limits one address that rotates user ids, and what it refuses changes nothing", async () => {
    // A stack of its own with a small per-IP budget, so the bound holds however slow the machine.
    const q = await startPlatform({
      env: { RATE_LIMIT_USER_PER_SEC: "0", RATE_LIMIT_IP_PER_SEC: "20", RATE_LIMIT_IP_BURST: "50" },
    });
    try {
      const eventId = await q.client.createEvent({ rpmThreshold: 0 });
      const started = Date.now();
      const statuses = (
        await Promise.all(Array.from({ length: 300 }, (_, i) => q.client.enter(eventId, `rot-${i}`)))
      ).map((r) => r.status);
      const seconds = (Date.now() - started) / 1000;
      const accepted = statuses.filter((s) => s === 202).length;
      expect(accepted + statuses.filter((s) => s === 429).length).toBe(300);
      expect(accepted).toBeGreaterThanOrEqual(50);
      expect(accepted).toBeLessThanOrEqual(Math.ceil(50 + 20 * seconds) + 1);
      // Only the accepted entries joined (and may have moved on to running).
      const k = q.keys.event(eventId);
      expect((await q.redis.zcard(k.waiting)) + (await q.redis.zcard(k.running))).toBe(accepted);
    } finally {
      await q.close();
    }
  });

  it("gives every public route a per-address and a per-user budget, each answered 429 with Retry-After", async () => {
    const perIp = await startPlatform({
      env: { RATE_LIMIT_USER_PER_SEC: "0", RATE_LIMIT_IP_PER_SEC: "0.01", RATE_LIMIT_IP_BURST: "3" },
    });
    const perUser = await startPlatform({
      env: { RATE_LIMIT_IP_PER_SEC: "0", RATE_LIMIT_USER_PER_SEC: "0.01", RATE_LIMIT_USER_BURST: "3" },
    });
    try {
      const refusedAfterBurst = async (q: typeof p, method: string, path: string, user: string) => {
        const statuses: number[] = [];
        let retryAfter: unknown;
        for (let i = 0; i < 5; i++) {
          const res = await q.client.call(method, path, { user });
          statuses.push(res.status);
          if (res.status === 429) retryAfter = res.headers["retry-after"];
        }
        return { limited: statuses.slice(3).every((s) => s === 429), retryAfter: Number(retryAfter) > 0 };
      };
      const routes = (eventId: number) => [
        ["POST", `/api/events/${eventId}/entry`],
        ["GET", `/api/queue/${eventId}/status`],
        ["DELETE", `/api/queue/${eventId}`],
        ["POST", `/api/events/${eventId}/issue`],
        ["GET", "/api/me/coupons"],
        ["GET", `/events/${eventId}`],
        ["GET", `/queue/${eventId}`],
      ];
      const ipEvent = await perIp.client.createEvent({ rpmThreshold: 0 });
      const addressOnly = [
        ["GET", "/api/events"],
        ["GET", `/api/events/${ipEvent}`],
        ["GET", "/"],
        ["GET", "/admin"],
      ];
      // Each user-facing route once per fresh user: only the address can run out.
      for (const [method, path] of [...routes(ipEvent), ...addressOnly] as [string, string][]) {
        expect(
          await refusedAfterBurst(perIp, method, path, `ip-${method}-${path.length}`),
          `${method} ${path}`,
        ).toEqual({
          limited: true,
          retryAfter: true,
        });
      }
      const userEvent = await perUser.client.createEvent({ rpmThreshold: 0 });
      for (const [method, path] of routes(userEvent) as [string, string][]) {
        expect(await refusedAfterBurst(perUser, method, path, "one-user"), `${method} ${path}`).toEqual({
          limited: true,
          retryAfter: true,
        });
      }
    } finally {
      await Promise.all([perIp.close(), perUser.close()]);
    }
  });

  it("answers 431 to oversized headers without falling over", async () => {
    const res = await fetch(`${p.router.url}/api/events`, { headers: { "x-junk": "x".repeat(20 * 1024) } });
    expect(res.status).toBe(431);
    expect((await fetch(`${p.router.url}/healthz`)).status).toBe(200);
  });
});

import { useDatabase } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectInvariants, runCrowd } from "./crowd";
import { type ServerName, type Stack, startStack } from "./stack";

const database = useDatabase();
let s: Stack;
beforeAll(async () => {
  s = await startStack();
});
afterAll(async () => {
  await s.close();
  await database.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sample {
  startedAt: number;
  ok: boolean;
  detail: string;
}

/**
 * Keeps `workers` users polling status and reading event info through the router, and notes for
 * every request when it started and whether it got a proper answer.
 */
function load(eventId: number, workers: number) {
  const samples: Sample[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async (_, i) => {
    const user = `term-${i}`;
    while (running) {
      const startedAt = Date.now();
      try {
        const res =
          i % 2 ? await s.client.status(eventId, user) : await s.client.call("GET", `/api/events/${eventId}`);
        samples.push({ startedAt, ok: res.status < 500, detail: `${res.status}` });
      } catch (err) {
        samples.push({ startedAt, ok: false, detail: err instanceof Error ? err.message : String(err) });
        await sleep(20);
      }
    }
  });
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
    },
  };
}

describe("SIGTERM under load", () => {
  it.each(["waiting-room", "coupon", "router"] satisfies ServerName[])(
    "%s: every request in flight when the signal arrives gets its answer",
    async (name) => {
      const eventId = await s.client.createEvent({ stock: 10, rpmThreshold: 0 });
      for (let i = 1; i < 40; i += 2) await s.client.enter(eventId, `term-${i}`);
      const l = load(eventId, 40);
      await sleep(500);
      const signalledAt = Date.now();
      try {
        const code = await s.kill(name, "SIGTERM");
        await l.stop();
        expect(code).toBe(0);
      } finally {
        await s.start(name);
      }
      const before = l.samples.filter((x) => x.startedAt < signalledAt);
      expect(before.length).toBeGreaterThan(100);
      expect(before.filter((x) => !x.ok)).toEqual([]);
    },
  );

  it("issuer: jobs in hand are finished before it exits, and the rest drain after a restart", async () => {
    const eventId = await s.client.createEvent({ stock: 300 });
    const crowd = runCrowd(
      s.client,
      eventId,
      Array.from({ length: 300 }, (_, i) => `drain-${s.prefix}-${i}`),
    );
    await sleep(300);
    expect(await s.kill("issuer", "SIGTERM")).toBe(0);
    const result = await crowd;
    await s.start("issuer");
    await expectInvariants({ db: database.db, pool: database.pool, redis: s.redis, keys: s.keys }, eventId, {
      stock: 300,
      demand: 300,
      acked: result.acked,
    });
  });
});

import { redisNow } from "@rushgate/redis";
import { TEST_ADMIN_TOKEN } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Stack, startStack } from "./faults/stack";
import { waitFor } from "./wait";

/**
 * The what-if preview against a real rush (issue 13: within 20 % of the actual finish), on the
 * servers as their own processes (faults/stack.ts, no fault injected) so that the scheduler does
 * not share an event loop with the crowd. A known crowd waits (threshold 0), everyone polls every
 * 300 ms (as the published scenario) and issues once admitted, the scheduler (250 ms tick) admits
 * admitPerTick a tick; the preview is asked with a proposal that raises admitPerTick midway, the
 * proposal is saved, and the real time the queue empties is compared with the predicted one.
 */
let p: Stack;
beforeAll(async () => {
  p = await startStack({ env: { SCHEDULER_TICK_MS: "250" } });
});
afterAll(async () => {
  await p?.close();
});

interface Forecast {
  servedAt: string | null;
  soldOutAt: string | null;
  series: { t: number; waiting: number }[];
}

describe("what-if preview", () => {
  it("predicts when the last person now waiting is served, and when the stock runs out, within 20 %", async () => {
    const users = 120;
    const eventId = await p.client.createEvent({ stock: users, rpmThreshold: 0, admitPerTick: 2 });
    const k = p.keys.event(eventId);
    const outcomes = Array.from({ length: users }, (_, i) =>
      p.client.rush(eventId, `pv-${i}-${p.prefix}`, 300),
    );
    // Preview once everyone is in, the rates are measured and most of the crowd still waits.
    await waitFor(
      async () => {
        const [waiting, running, issued, rate] = await Promise.all([
          p.redis.zcard(k.waiting),
          p.redis.zcard(k.running),
          p.redis.hlen(k.issued),
          p.redis.hget(k.sched, "rate"),
        ]);
        return { inLine: waiting + running + issued, issued, rate: Number(rate) };
      },
      (s) => s.inLine === users && s.rate > 0 && s.issued >= 10,
      20_000,
    );
    const now = await redisNow(p.redis);
    const proposal = { changes: [{ at: new Date(now + 3_000).toISOString(), admitPerTick: 4 }] };
    const preview = await p.client.call<{
      now: string;
      inputs: Record<string, number>;
      current: Forecast;
      proposed: Forecast;
    }>("POST", `/admin/api/events/${eventId}/preview`, { token: TEST_ADMIN_TOKEN, body: proposal });
    expect(preview.status).toBe(200);
    const saved = await p.client.call("POST", `/admin/api/events/${eventId}/changes`, {
      token: TEST_ADMIN_TOKEN,
      body: proposal,
    });
    expect(saved.status).toBe(201);
    const t0 = Date.parse(preview.body.now);
    const { current, proposed } = preview.body;
    expect(current.series.length).toBeGreaterThan(2);
    expect(Date.parse(proposed.servedAt ?? "")).toBeLessThan(Date.parse(current.servedAt ?? ""));

    await waitFor(
      () => p.redis.zcard(k.waiting),
      (n) => n === 0,
      60_000,
    );
    const servedAt = await redisNow(p.redis);
    await waitFor(
      () => p.redis.get(k.remaining),
      (r) => r === "0",
      60_000,
    );
    const soldOutAt = await redisNow(p.redis);
    await Promise.all(outcomes);

    const error = (predicted: string | null, actual: number) =>
      Math.abs(Date.parse(predicted ?? "") - actual) / (actual - t0);
    const report = {
      waitingAtPreview: preview.body.inputs.waiting,
      inputs: preview.body.inputs,
      currentServedInS: (Date.parse(current.servedAt ?? "") - t0) / 1000,
      predictedServedInS: (Date.parse(proposed.servedAt ?? "") - t0) / 1000,
      actualServedInS: (servedAt - t0) / 1000,
      predictedSoldOutInS: (Date.parse(proposed.soldOutAt ?? "") - t0) / 1000,
      actualSoldOutInS: (soldOutAt - t0) / 1000,
      servedError: error(proposed.servedAt, servedAt),
      soldOutError: error(proposed.soldOutAt, soldOutAt),
    };
    console.log("preview accuracy", JSON.stringify(report));
    expect(report.servedError).toBeLessThan(0.2);
    expect(report.soldOutError).toBeLessThan(0.2);
  });
});

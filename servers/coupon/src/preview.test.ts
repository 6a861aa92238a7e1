import { describe, expect, it } from "vitest";
import { forecast, type PreviewInputs } from "./preview";

const base: PreviewInputs = {
  now: 1_000_000,
  endsAt: 1_000_000 + 3_600_000,
  waiting: 1_000,
  running: 0,
  remaining: 10_000,
  arrivalsPerSecond: 0,
  admissionRate: 200,
  issueRate: 200,
  admittedTotal: 0,
  expiredTotal: 0,
  tickMs: 500,
  admitPerTick: 100,
  runningCapacity: 100_000,
  actWithinSeconds: 30,
};

describe("the what-if model", () => {
  it("admits admitPerTick per tick when room and stock allow: the last waiter after waiting / rate", () => {
    const f = forecast(base, []);
    expect(f.servedAt).toBe(base.now + 5_000);
    expect(f.series[0]).toMatchObject({ t: base.now, waiting: 1_000 });
  });

  it("a ramp to a higher admitPerTick serves the queue sooner", () => {
    const f = forecast(base, [{ at: base.now + 1_000, set: { admitPerTick: 300 } }]);
    // One tick at 100; the change applies before the tick at its time: 300 a tick from 1 s on.
    expect(f.servedAt).toBe(base.now + 2_000);
  });

  it("the stock runs out first: the queue is cleared then, and no later", () => {
    const f = forecast({ ...base, remaining: 300, running: 0 }, []);
    expect(f.soldOutAt).not.toBeNull();
    expect(f.servedAt).toBe(f.soldOutAt);
  });

  it("a full running set admits only as fast as slots free up (Little's law)", () => {
    // 100 slots held 10 s each on average: about 10 admissions a second.
    const f = forecast({ ...base, running: 100, runningCapacity: 100, admissionRate: 10, waiting: 100 }, []);
    const seconds = ((f.servedAt ?? 0) - base.now) / 1000;
    expect(seconds).toBeGreaterThan(7);
    expect(seconds).toBeLessThan(13);
  });

  it("a share of admissions that expired unused takes no coupon: the stock lasts longer", async () => {
    const all = forecast({ ...base, remaining: 500 }, []);
    const half = forecast({ ...base, remaining: 500, admittedTotal: 100, expiredTotal: 50 }, []);
    expect(half.soldOutAt ?? 0).toBeGreaterThan(all.soldOutAt ?? 0);
  });

  it("answers at most a few hundred points whatever the horizon", () => {
    const f = forecast({ ...base, waiting: 10_000_000, remaining: 10_000_000, admitPerTick: 1 }, []);
    expect(f.series.length).toBeLessThanOrEqual(241);
    expect(f.servedAt).toBeNull();
  });
});

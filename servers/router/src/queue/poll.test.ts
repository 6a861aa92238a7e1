import { describe, expect, it } from "vitest";
import { etaSeconds, MAX_POLL_MS, MIN_POLL_MS, pollAfterMs, slowPollMs } from "./poll";

describe("queue pacing", () => {
  it("has no ETA until an admission rate is known", () => {
    expect(etaSeconds(10, 0)).toBeNull();
    expect(etaSeconds(10, Number.NaN)).toBeNull();
    expect(pollAfterMs(null)).toBe(1000);
  });

  it("derives the ETA from the measured rate, never below one second", () => {
    expect(etaSeconds(400, 200)).toBe(2);
    expect(etaSeconds(401, 200)).toBe(3);
    expect(etaSeconds(1, 1000)).toBe(1);
  });

  it("polls fast near the head and slowly far back, inside the idle timeout", () => {
    expect(pollAfterMs(1)).toBe(MIN_POLL_MS);
    expect(pollAfterMs(20)).toBe(2000);
    expect(pollAfterMs(3600)).toBe(MAX_POLL_MS);
    expect(pollAfterMs(3600, 6)).toBe(2000);
  });

  it("polls slowly while the place cannot move (paused, or drawn at the start), still inside the idle timeout", () => {
    expect(slowPollMs()).toBe(MAX_POLL_MS);
    expect(slowPollMs(15)).toBe(5000);
    expect(slowPollMs(6)).toBe(2000);
  });
});

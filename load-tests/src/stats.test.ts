import { describe, expect, it } from "vitest";
import { median, percentile, Samples, summarize } from "./stats";

describe("latency statistics", () => {
  it("takes nearest-rank percentiles, never a value nobody measured", () => {
    const sorted = Float64Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(sorted, 50)).toBe(50);
    expect(percentile(sorted, 95)).toBe(95);
    expect(percentile(sorted, 99)).toBe(99);
    expect(percentile(sorted, 100)).toBe(100);
    expect(percentile([3, 7], 50)).toBe(3);
    expect(percentile([42], 99)).toBe(42);
    expect(percentile([], 50)).toBeNaN();
  });

  it("summarizes unsorted samples", () => {
    expect(summarize([5, 1, 3, 2, 4])).toEqual({ count: 5, min: 1, mean: 3, p50: 3, p95: 5, p99: 5, max: 5 });
    expect(summarize([]).count).toBe(0);
    expect(summarize([]).mean).toBeNaN();
  });

  it("takes the median of odd and even counts", () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it("keeps any number of samples", () => {
    const samples = new Samples();
    for (let i = 0; i < 5000; i++) samples.push(i);
    expect(samples.length).toBe(5000);
    expect(samples.values()[4999]).toBe(4999);
    expect(summarize(samples.values()).p50).toBe(2499);
  });
});

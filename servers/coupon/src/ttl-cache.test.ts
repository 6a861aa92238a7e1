import { describe, expect, it } from "vitest";
import { createTtlCache } from "./ttl-cache";

describe("the TTL cache", () => {
  it("forgets an entry once its time is up", () => {
    const cache = createTtlCache<number, string>({ max: 10, ttlMs: 1_000 });
    cache.set(1, "one", 0);
    expect(cache.get(1, 999)).toBe("one");
    expect(cache.get(1, 1_000)).toBeUndefined();
  });

  it("stays within its size, dropping the least recently used entry", () => {
    const cache = createTtlCache<number, number>({ max: 3, ttlMs: 60_000 });
    for (const n of [1, 2, 3]) cache.set(n, n, 0);
    expect(cache.get(1, 1)).toBe(1); // 2 is now the least recently used
    cache.set(4, 4, 2);
    expect(cache.size).toBe(3);
    expect(cache.get(2, 3)).toBeUndefined();
    expect([1, 3, 4].map((n) => cache.get(n, 3))).toEqual([1, 3, 4]);
  });
});

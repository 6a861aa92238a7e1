import { describe, expect, it } from "vitest";
import { createBatcher } from "./batcher";

describe("batcher", () => {
  it("groups concurrent items by size and settles each caller with its batch", async () => {
    const batches: number[][] = [];
    const batcher = createBatcher<number>({
      maxSize: 3,
      maxWaitMs: 5,
      flush: async (items) => {
        batches.push(items);
      },
    });
    await Promise.all([1, 2, 3, 4, 5].map((n) => batcher.add(n)));
    expect(batches).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
  });

  it("rejects every caller of a failed batch so their jobs are retried", async () => {
    const batcher = createBatcher<number>({
      maxSize: 10,
      maxWaitMs: 1,
      flush: async () => {
        throw new Error("mysql away");
      },
    });
    const results = await Promise.allSettled([batcher.add(1), batcher.add(2)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });
});

import { describe, expect, it } from "vitest";
import { evaluate } from "./invariants";

const base = { eventId: 1, stock: 2, users: 3, redisIssued: 2 };
const rows = [
  { userId: "a", couponId: "RG-A" },
  { userId: "b", couponId: "RG-B" },
];
const failed = (checks: ReturnType<typeof evaluate>) => checks.filter((c) => !c.ok).map((c) => c.name);

describe("SPEC §5 invariants", () => {
  it("pass when MySQL holds exactly the coupons the users were told about", () => {
    const seen = new Map([
      ["a", "RG-A"],
      ["b", "RG-B"],
    ]);
    expect(failed(evaluate({ ...base, seen }, rows))).toEqual([]);
  });

  it("catch stranded stock, duplicates, a Redis/MySQL mismatch and a lost 201", () => {
    const seen = new Map([
      ["a", "RG-A"],
      ["c", "RG-C"],
    ]);
    const dup = [...rows, { userId: "a", couponId: "RG-A2" }];
    expect(failed(evaluate({ ...base, seen }, dup))).toEqual([
      "issued = min(stock, users)",
      "issued <= stock",
      "one row per (event, user)",
      "MySQL rows = Redis issued",
      "every 201 couponId in MySQL exactly once",
    ]);
    expect(failed(evaluate({ ...base, redisIssued: 2, seen: new Map() }, rows.slice(0, 1)))).toEqual([
      "issued = min(stock, users)",
      "MySQL rows = Redis issued",
    ]);
  });
});

import { describe, expect, it } from "vitest";
import { newCouponId } from "./coupon-id";

describe("coupon ids", () => {
  it("are readable codes of 16 base32 characters and do not repeat", () => {
    const ids = new Set(Array.from({ length: 10_000 }, newCouponId));
    expect(ids.size).toBe(10_000);
    for (const id of [...ids].slice(0, 100))
      expect(id).toMatch(/^RG-[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$/);
  });
});

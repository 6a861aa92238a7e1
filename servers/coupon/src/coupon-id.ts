import { randomFillSync } from "node:crypto";

// Crockford's base32: no I, L, O or U, so a code read aloud or typed from a screen survives.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const ID_BYTES = 10;
// Random bytes drawn for 409 codes (4 KiB) at a time: one call into the CSPRNG per batch, not per issue.
const pool = Buffer.alloc(ID_BYTES * 409);
let used = pool.length;

/** A coupon code such as `RG-7KQ2-M9XD-4TZP-B1CE`: 80 random bits. */
export function newCouponId(): string {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  const start = used;
  used += ID_BYTES;
  let bits = 0;
  let value = 0;
  let out = "";
  for (let i = start; i < used; i++) {
    value = (value << 8) | (pool[i] as number);
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  // 80 bits: 16 characters, in groups of 4.
  return `RG-${out.slice(0, 4)}-${out.slice(4, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}`;
}

import { randomBytes } from "node:crypto";

// Crockford's base32: no I, L, O or U, so a code read aloud or typed from a screen survives.
const ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A coupon code such as `RG-7KQ2-M9XD-4TZP-B1CE`: 80 random bits. */
export function newCouponId(): string {
  const bytes = randomBytes(10);
  let bits = 0;
  let value = 0;
  let out = "";
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  return `RG-${out.match(/.{4}/g)?.join("-")}`;
}

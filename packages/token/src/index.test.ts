import { describe, expect, it } from "vitest";
import { bearer, mintToken, safeEqual, verifyToken } from "./index";

const secret = "s".repeat(32);
const now = 1_800_000_000_000;

describe("admission token", () => {
  const token = mintToken(secret, { eventId: 42, userId: "alice_1", expiresAt: now + 60_000 });

  it("verifies for the user and event it was minted for", () => {
    const result = verifyToken(secret, token, { eventId: 42, userId: "alice_1", now });
    expect(result).toEqual({
      ok: true,
      admission: { eventId: 42, userId: "alice_1", expiresAt: now + 60_000 },
    });
    expect(token).toMatch(/^[A-Za-z0-9._-]+$/);
  });

  it("refuses another user, another event, expiry, a forged signature and garbage", () => {
    expect(verifyToken(secret, token, { eventId: 42, userId: "bob", now })).toMatchObject({
      reason: "foreign",
    });
    expect(verifyToken(secret, token, { eventId: 43, userId: "alice_1", now })).toMatchObject({
      reason: "foreign",
    });
    expect(verifyToken(secret, token, { eventId: 42, userId: "alice_1", now: now + 60_000 })).toMatchObject({
      reason: "expired",
    });
    const forged = mintToken("x".repeat(32), { eventId: 42, userId: "alice_1", expiresAt: now + 60_000 });
    expect(verifyToken(secret, forged, { eventId: 42, userId: "alice_1", now })).toMatchObject({
      reason: "bad_signature",
    });
    const tampered = token.replace(`.${now + 60_000}.`, `.${now + 600_000}.`);
    expect(verifyToken(secret, tampered, { eventId: 42, userId: "alice_1", now })).toMatchObject({
      ok: false,
    });
    for (const junk of ["", "v1", "a.b.c.d.e", "x".repeat(300), `${token}.extra`]) {
      expect(verifyToken(secret, junk, { eventId: 42, userId: "alice_1", now }).ok).toBe(false);
    }
  });

  it("parses bearer headers and compares secrets", () => {
    expect(bearer("Bearer abc.def")).toBe("abc.def");
    expect(bearer("bearer  xyz ")).toBe("xyz");
    expect(bearer("Basic abc")).toBeUndefined();
    expect(bearer(undefined)).toBeUndefined();
    expect(safeEqual("same", "same")).toBe(true);
    expect(safeEqual("same", "diff")).toBe(false);
  });
});

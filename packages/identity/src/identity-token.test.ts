import { describe, expect, it } from "vitest";
import {
  mintIdentityToken,
  newAnonymousId,
  openAnonymousId,
  sealAnonymousId,
  verifyIdentityToken,
} from "./identity-token";

const secret = "identity-secret-for-tests-0123456789";
const now = Date.now();

describe("identity tokens", () => {
  it("verify with the secret that minted them, giving the user id", () => {
    const token = mintIdentityToken(secret, { userId: "alice_1", expiresAt: now + 60_000 });
    expect(token).toMatch(/^id1\.alice_1\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(verifyIdentityToken(secret, token, now)).toEqual({
      ok: true,
      userId: "alice_1",
      expiresAt: now + 60_000,
    });
  });

  it("refuse a forged, foreign-secret, expired or malformed token", () => {
    const token = mintIdentityToken(secret, { userId: "alice", expiresAt: now + 60_000 });
    const forged = token.replace("alice", "mallory");
    expect(verifyIdentityToken(secret, forged, now)).toEqual({ ok: false, reason: "bad_signature" });
    const foreign = mintIdentityToken("another-secret-entirely-0123456789", {
      userId: "alice",
      expiresAt: now + 60_000,
    });
    expect(verifyIdentityToken(secret, foreign, now)).toEqual({ ok: false, reason: "bad_signature" });
    const expired = mintIdentityToken(secret, { userId: "alice", expiresAt: now - 1 });
    expect(verifyIdentityToken(secret, expired, now)).toEqual({ ok: false, reason: "expired" });
    for (const bad of ["", "id1", "id1.alice", "v1.1.alice.9.sig", `${token}.x`, "a".repeat(300)])
      expect(verifyIdentityToken(secret, bad, now).ok, bad).toBe(false);
  });

  it("are not admission tokens, nor anonymous cookies", () => {
    const key = "cookie-key-0123456789";
    const cookie = sealAnonymousId(key, "anon");
    expect(verifyIdentityToken(key, cookie, now)).toEqual({ ok: false, reason: "malformed" });
    expect(() => mintIdentityToken(secret, { userId: "has.dot", expiresAt: now })).toThrow();
  });
});

describe("anonymous ids", () => {
  const key = "cookie-key-0123456789";

  it("are random, and the signed cookie gives them back", () => {
    const id = newAnonymousId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(newAnonymousId()).not.toBe(id);
    expect(openAnonymousId(key, sealAnonymousId(key, id))).toBe(id);
  });

  it("cannot be picked: unsigned, forged or foreign cookies give nothing", () => {
    const cookie = sealAnonymousId(key, "victim");
    expect(openAnonymousId(key, "victim")).toBeUndefined();
    expect(openAnonymousId(key, cookie.replace("victim", "victin"))).toBeUndefined();
    expect(openAnonymousId("other-key-0123456789", cookie)).toBeUndefined();
    expect(openAnonymousId(key, `${cookie}x`)).toBeUndefined();
  });
});

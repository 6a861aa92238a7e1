import { createHmac } from "node:crypto";
import { verifyIdentityToken } from "@rushgate/identity";
import { describe, expect, it, vi } from "vitest";
// @ts-expect-error: plain k6 JavaScript, type-checked by typecheck-k6.mjs, not by this project.
import { identityToken } from "../k6/identity.js";

// k6/crypto exists only inside k6: its documented hmac(algorithm, key, data, encoding), where
// "base64rawurl" is base64url without padding, on Node's crypto.
vi.mock("k6/crypto", () => ({
  hmac: (algorithm: string, key: string, data: string, encoding: string) =>
    createHmac(algorithm, key)
      .update(data)
      .digest(encoding === "base64rawurl" ? "base64url" : (encoding as "hex")),
}));

const SECRET = "k6-identity-test-secret-0123456789abcdef";

describe("the k6 kit's identity tokens", () => {
  it("are accepted by the router's verifier for the user they name", () => {
    const expiresAt = Date.now() + 60_000;
    const token: string = identityToken(SECRET, "k6-12-run_x", expiresAt);
    expect(verifyIdentityToken(SECRET, token, Date.now())).toEqual({
      ok: true,
      userId: "k6-12-run_x",
      expiresAt,
    });
  });

  it("are refused under another secret or once expired", () => {
    const token: string = identityToken(SECRET, "k6-1", Date.now() + 60_000);
    expect(verifyIdentityToken(`${SECRET}-other`, token, Date.now())).toMatchObject({ ok: false });
    const old: string = identityToken(SECRET, "k6-1", Date.now() - 1);
    expect(verifyIdentityToken(SECRET, old, Date.now())).toEqual({ ok: false, reason: "expired" });
  });
});

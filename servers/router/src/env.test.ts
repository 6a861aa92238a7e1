import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseRouterEnv } from "./env";

const production = {
  NODE_ENV: "production",
  ADMIN_TOKEN: "a".repeat(40),
  ADMISSION_SECRET: "s".repeat(40),
  IDENTITY_SECRET: "i".repeat(40),
};
const { publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
const pem = publicKey.export({ type: "spki", format: "pem" }).toString();

describe("identity configuration", () => {
  it("defaults to plain ids in development and to signed tokens in production", () => {
    expect(parseRouterEnv({}).IDENTITY_SOURCES).toEqual(["plain", "anonymous", "token"]);
    expect(parseRouterEnv(production).IDENTITY_SOURCES).toEqual(["token"]);
  });

  it("never takes a bare X-User-Id in production", () => {
    expect(() => parseRouterEnv({ ...production, IDENTITY_SOURCES: "plain" })).toThrow(
      /IDENTITY_SOURCES: plain/,
    );
  });

  it("refuses a missing or short IDENTITY_SECRET in production when tokens are accepted", () => {
    const { IDENTITY_SECRET: _, ...withoutSecret } = production;
    expect(() => parseRouterEnv(withoutSecret)).toThrow(/IDENTITY_SECRET: /);
    expect(() => parseRouterEnv({ ...production, IDENTITY_SECRET: "x".repeat(20) })).toThrow(
      /IDENTITY_SECRET: /,
    );
    expect(parseRouterEnv({ ...withoutSecret, IDENTITY_SOURCES: "anonymous" }).IDENTITY_SOURCES).toEqual([
      "anonymous",
    ]);
  });

  it("needs a key for JWTs, and proxies for the proxy source", () => {
    expect(() => parseRouterEnv({ IDENTITY_SOURCES: "jwt" })).toThrow(/IDENTITY_JWT_PUBLIC_KEY: /);
    expect(() =>
      parseRouterEnv({
        IDENTITY_SOURCES: "jwt",
        IDENTITY_JWT_PUBLIC_KEY: pem,
        IDENTITY_JWKS_URL: "https://x/jwks",
      }),
    ).toThrow(/one of the two/);
    expect(
      parseRouterEnv({ IDENTITY_SOURCES: "jwt", IDENTITY_JWT_PUBLIC_KEY: pem }).IDENTITY_SOURCES,
    ).toEqual(["jwt"]);
    expect(() => parseRouterEnv({ IDENTITY_JWT_PUBLIC_KEY: "not a key" })).toThrow(
      /IDENTITY_JWT_PUBLIC_KEY: /,
    );
    expect(() => parseRouterEnv({ IDENTITY_SOURCES: "proxy" })).toThrow(/TRUSTED_PROXIES: /);
    expect(
      parseRouterEnv({ IDENTITY_SOURCES: "proxy", TRUSTED_PROXIES: "10.0.0.0/8" }).IDENTITY_SOURCES,
    ).toEqual(["proxy"]);
  });

  it("names the variable of a bad value", () => {
    const bad: Record<string, string> = {
      IDENTITY_SOURCES: "token,magic",
      TRUSTED_PROXIES: "10.0.0.0/40",
      IDENTITY_HEADER: "Authorization",
      IDENTITY_COOKIE: "uid",
      IDENTITY_JWKS_URL: "not a url",
      // The old switch took the client-written X-Forwarded-For entry: refused, not ignored.
      TRUST_PROXY: "true",
    };
    for (const [name, value] of Object.entries(bad))
      expect(() => parseRouterEnv({ [name]: value }), name).toThrow(new RegExp(`\\b${name}[.:]`));
  });
});

import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiError } from "@rushgate/api";
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { mintIdentityToken } from "./identity-token";
import { createJwtVerifier, type JwtOptions } from "./jwt";
import { parseProxies } from "./proxies";
import {
  createIdentityResolver,
  type IdentityConfig,
  type IdentityRequest,
  type IdentitySource,
} from "./resolver";

const secret = "identity-secret-for-tests-0123456789";
const base: IdentityConfig = {
  sources: ["token"],
  secret,
  proxies: parseProxies("10.0.0.1"),
  anonymousSecret: "rushgate-own-secret-0123456789",
  header: "x-identity-token",
  cookie: "rg_identity",
};
const resolver = (sources: IdentitySource[], more: Partial<IdentityConfig> = {}) =>
  createIdentityResolver({ ...base, sources, ...more });

function request(
  headers: Record<string, string>,
  cookies?: string,
  remoteAddress = "203.0.113.9",
): IdentityRequest {
  return { header: (name) => headers[name], cookies, remoteAddress };
}

/** The ApiError code (and status) a resolution ends in, or the user id. */
async function outcome(run: () => string | Promise<string> | undefined) {
  try {
    return await run();
  } catch (err) {
    if (err instanceof ApiError) return `${err.status} ${err.code}`;
    throw err;
  }
}

const token = (userId: string, ttlMs = 60_000, key = secret) =>
  mintIdentityToken(key, { userId, expiresAt: Date.now() + ttlMs });

describe("identity from a site-signed token", () => {
  const r = resolver(["token"]);

  it("takes the user id from a valid token, in the header or the cookie", async () => {
    expect(r.resolve(request({ "x-identity-token": token("alice") }))).toBe("alice");
    expect(r.resolve(request({}, `a=1; rg_identity=${token("bob")}`))).toBe("bob");
    expect(r.peek(request({ "x-identity-token": token("alice") }))).toBe("alice");
  });

  it("refuses forged, expired, foreign-secret, malformed and missing tokens with 401", async () => {
    const forged = token("alice").replace("alice", "eve");
    for (const bad of [
      forged,
      token("alice", -1),
      token("alice", 60_000, "another-secret-0123456789"),
      "id1.x",
    ])
      expect(await outcome(() => r.resolve(request({ "x-identity-token": bad }))), bad).toBe(
        "401 unauthorized",
      );
    expect(await outcome(() => r.resolve(request({})))).toBe("401 unauthorized");
    expect(r.peek(request({ "x-identity-token": forged }))).toBeUndefined();
  });

  it("remembers a checked token only until it expires", async () => {
    const fresh = resolver(["token"]);
    const soon = token("carol", 1_000);
    expect(fresh.resolve(request({ "x-identity-token": soon }))).toBe("carol");
    expect(fresh.resolve(request({ "x-identity-token": soon }))).toBe("carol"); // from the cache
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 2_000 });
    try {
      expect(await outcome(() => fresh.resolve(request({ "x-identity-token": soon })))).toBe(
        "401 unauthorized",
      );
    } finally {
      vi.useRealTimers();
    }
  });

  it("never takes X-User-Id at face value, even beside a valid token", async () => {
    expect(await outcome(() => r.resolve(request({ "x-user-id": "alice" })))).toBe("401 unauthorized");
    const both = request({ "x-user-id": "alice", "x-identity-token": token("eve") });
    expect(await outcome(() => r.resolve(both))).toBe("401 unauthorized");
    expect(r.peek(request({ "x-user-id": "alice" }))).toBeUndefined();
  });
});

describe("identity from a trusted proxy", () => {
  const r = resolver(["proxy", "token"]);

  it("takes X-User-Id from a trusted proxy address only", async () => {
    expect(r.resolve(request({ "x-user-id": "carol" }, undefined, "10.0.0.1"))).toBe("carol");
    expect(r.resolve(request({ "x-user-id": "carol" }, undefined, "::ffff:10.0.0.1"))).toBe("carol");
    expect(await outcome(() => r.resolve(request({ "x-user-id": "carol" }, undefined, "10.0.0.2")))).toBe(
      "401 unauthorized",
    );
    expect(await outcome(() => r.resolve(request({ "x-user-id": "a b" }, undefined, "10.0.0.1")))).toBe(
      "400 invalid_user",
    );
  });
});

describe("anonymous identity", () => {
  const r = resolver(["anonymous"]);

  it("gives back the id of a cookie it signed, and nothing for a tampered one", async () => {
    const fresh = r.newAnonymous();
    expect(r.resolve(request({}, `uid=${fresh.cookie}`))).toBe(fresh.userId);
    expect(r.browser(request({}, `uid=${fresh.cookie}`))).toBe(fresh.userId);
    const tampered = fresh.cookie.replace(fresh.userId, "victim_id");
    expect(await outcome(() => r.resolve(request({}, `uid=${tampered}`)))).toBe("401 unauthorized");
    expect(await outcome(() => r.resolve(request({}, "uid=victim_id")))).toBe("401 unauthorized");
    // Pages make a new one instead.
    expect(r.browser(request({}, `uid=${tampered}`))).toBeUndefined();
    expect(r.browser(request({}))).toBeUndefined();
  });

  it("does not accept another deployment's cookie", async () => {
    const other = resolver(["anonymous"], {
      anonymousSecret: "another-deployment-0123456789",
    }).newAnonymous();
    expect(await outcome(() => r.resolve(request({}, `uid=${other.cookie}`)))).toBe("401 unauthorized");
  });

  it("ignores the uid cookie when the source is off", async () => {
    const signed = r.newAnonymous().cookie;
    const tokenOnly = resolver(["token"]);
    expect(await outcome(() => tokenOnly.resolve(request({}, `uid=${signed}`)))).toBe("401 unauthorized");
    expect(await outcome(() => tokenOnly.browser(request({}, `uid=${signed}`)))).toBe("401 unauthorized");
  });
});

describe("plain identity (development)", () => {
  const r = resolver(["plain", "anonymous"]);

  it("takes X-User-Id and a plain uid cookie as they are, and refuses malformed ones with 400", async () => {
    expect(r.resolve(request({ "x-user-id": "dev_user" }))).toBe("dev_user");
    expect(r.resolve(request({}, "uid=cookie_user"))).toBe("cookie_user");
    expect(await outcome(() => r.resolve(request({ "x-user-id": "has space" })))).toBe("400 invalid_user");
    expect(await outcome(() => r.resolve(request({})))).toBe("400 invalid_user");
  });
});

describe("identity from a JWT", () => {
  let keys: Awaited<ReturnType<typeof generateKeyPair>>;
  let jwks: Server;
  let jwksUrl: string;
  let jwksFetches = 0;

  beforeAll(async () => {
    keys = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(keys.publicKey)), kid: "k1", alg: "ES256", use: "sig" };
    jwks = createServer((_req, res) => {
      jwksFetches++;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, "127.0.0.1", resolve));
    jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  });
  afterAll(async () => {
    await new Promise((resolve) => jwks.close(resolve));
  });

  const sign = (
    sub: string,
    opts: { exp?: string | number; iss?: string; aud?: string; key?: Parameters<SignJWT["sign"]>[0] } = {},
  ) =>
    new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: "k1" })
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime(opts.exp ?? "5m")
      .setIssuer(opts.iss ?? "https://login.example.com")
      .setAudience(opts.aud ?? "rushgate")
      .sign(opts.key ?? keys.privateKey);

  const jwtResolver = (options: JwtOptions) =>
    resolver(["jwt"], {
      jwt: createJwtVerifier({ issuer: "https://login.example.com", audience: "rushgate", ...options }),
    });

  it("verifies against a PEM public key, then answers from its cache without verifying again", async () => {
    const r = jwtResolver({ publicKey: await exportSPKI(keys.publicKey) });
    const jwt = await sign("dana");
    const req = request({ "x-identity-token": jwt });
    expect(r.peek(req)).toBeUndefined(); // the first check is asynchronous
    expect(await r.resolve(req)).toBe("dana");
    // Verified once: now synchronous, for the fast path and for every later poll.
    expect(r.resolve(req)).toBe("dana");
    expect(r.peek(req)).toBe("dana");
  });

  it("verifies against a JWKS served over HTTP, fetching it once", async () => {
    const r = jwtResolver({ jwksUrl });
    const before = jwksFetches;
    expect(await r.resolve(request({ "x-identity-token": await sign("erin") }))).toBe("erin");
    expect(await r.resolve(request({ "x-identity-token": await sign("fred") }))).toBe("fred");
    expect(jwksFetches - before).toBe(1);
  });

  it("refuses expired, foreign-issuer, foreign-audience, forged and malformed JWTs with 401", async () => {
    const r = jwtResolver({ jwksUrl });
    const stranger = await generateKeyPair("ES256");
    const bad = [
      await sign("gina", { exp: "-1m" }),
      await sign("gina", { iss: "https://evil.example.com" }),
      await sign("gina", { aud: "someone-else" }),
      await sign("gina", { key: stranger.privateKey }),
      "eyJhbGciOiJub25lIn0.eyJzdWIiOiJnaW5hIn0.",
      "not-a-jwt",
    ];
    for (const jwt of bad)
      expect(await outcome(() => r.resolve(request({ "x-identity-token": jwt }))), jwt).toBe(
        "401 unauthorized",
      );
    // A subject that is no user id (SPEC §2) is a malformed identity.
    const spaced = await sign("has space");
    expect(await outcome(() => r.resolve(request({ "x-identity-token": spaced })))).toBe("401 unauthorized");
  });

  it("forgets a cached token once it expires, and keeps the cache bounded", async () => {
    const verifier = createJwtVerifier({ publicKey: await exportSPKI(keys.publicKey), cacheSize: 2 });
    const soon = await sign("hal", { exp: Math.floor(Date.now() / 1000) + 2 });
    expect((await verifier.verify(soon)).ok).toBe(true);
    expect(verifier.cached(soon, Date.now() + 5_000)).toEqual({ ok: false, reason: "expired" });
    for (const sub of ["a", "b", "c"]) await verifier.verify(await sign(sub));
    expect(verifier.size).toBe(2);
  });

  it("refuses a JWT where only HMAC tokens are accepted, and the other way round", async () => {
    expect(await outcome(() => resolver(["token"]).resolve(request({ "x-identity-token": "a.b.c" })))).toBe(
      "401 unauthorized",
    );
    const r = jwtResolver({ jwksUrl });
    expect(await outcome(() => r.resolve(request({ "x-identity-token": token("ivy") })))).toBe(
      "401 unauthorized",
    );
  });
});

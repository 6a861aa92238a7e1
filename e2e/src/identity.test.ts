/**
 * SPEC §2 through the real stack, with the router in a production identity mode (no `plain`
 * source): site-signed tokens, a trusted proxy (127.0.0.2, reached by binding the client
 * socket to it) and the signed anonymous cookie. Whatever is refused changes nothing in Redis.
 */

import { Agent, request } from "node:http";
import { mintIdentityToken } from "@rushgate/identity";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieValue, visit } from "./browser/http";
import { type Platform, startPlatform } from "./platform";

const SECRET = "identity-secret-for-e2e-0123456789abcdef";
const PROXY = "127.0.0.2";
const identityEnv = {
  IDENTITY_SOURCES: "token,proxy,anonymous",
  IDENTITY_SECRET: SECRET,
  TRUSTED_PROXIES: PROXY,
};

// node:http, whose agents bind the client socket to a chosen local address.
const direct = new Agent({ keepAlive: true, localAddress: "127.0.0.1" });
const viaProxy = new Agent({ keepAlive: true, localAddress: PROXY });

let p: Platform;
beforeAll(async () => {
  p = await startPlatform({ env: identityEnv });
});
afterAll(async () => {
  await p.close();
  direct.destroy();
  viaProxy.destroy();
});

/** The parts of an answer these tests read. */
interface Answer {
  token?: string;
  error?: { code: string };
  coupons?: unknown[];
}

function call(method: string, path: string, headers: Record<string, string>, agent = direct, base = p) {
  return new Promise<{ status: number; body: Answer; headers: Record<string, unknown> }>(
    (resolve, reject) => {
      const req = request(`${base.router.url}${path}`, { method, headers, agent }, (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          text += chunk;
        });
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            body: text ? JSON.parse(text) : {},
            headers: res.headers,
          }),
        );
      });
      req.on("error", reject);
      req.end();
    },
  );
}

const token = (userId: string, ttlMs = 60_000, secret = SECRET) =>
  mintIdentityToken(secret, { userId, expiresAt: Date.now() + ttlMs });

/** Every key of this stack and what it holds (the scheduler's own bookkeeping and RPM counters aside). */
async function snapshot() {
  // Live RPM and the scheduler's own bookkeeping (its lease, tick state and measured flow) move
  // on their own clock; a refused request changes none of the rest.
  const keys = (await p.redis.keys(`${p.prefix}:*`)).filter((k) => !/:rpm$|sched|:flow$/.test(k)).sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) {
    const type = await p.redis.type(key);
    if (type === "string") out[key] = await p.redis.get(key);
    else if (type === "hash") out[key] = await p.redis.hgetall(key);
    else if (type === "zset") out[key] = await p.redis.zrange(key, 0, -1, "WITHSCORES");
    else if (type === "set") out[key] = (await p.redis.smembers(key)).sort();
    else out[key] = type;
  }
  return out;
}

describe("identity in production mode", () => {
  it("admits the user a valid site token names, through entry, status and issue", async () => {
    const eventId = await p.client.createEvent({ stock: 3 });
    const headers = { "x-identity-token": token("signed_alice") };
    const entry = await call("POST", `/api/events/${eventId}/entry`, headers);
    expect(entry.status).toBe(200);
    expect(String(entry.body.token)).toContain(`.${eventId}.signed_alice.`);
    const issued = await call("POST", `/api/events/${eventId}/issue`, {
      ...headers,
      authorization: `Bearer ${entry.body.token}`,
    });
    expect(issued.status).toBe(201);
    const mine = await call("GET", "/api/me/coupons", headers);
    expect(mine.body.coupons).toEqual([expect.objectContaining({ eventId })]);
  });

  it("answers 401 to forged, expired, foreign-secret and missing identities, and changes nothing", async () => {
    const eventId = await p.client.createEvent({ stock: 3 });
    const admitted = await call("POST", `/api/events/${eventId}/entry`, {
      "x-identity-token": token("victim"),
    });
    expect(admitted.status).toBe(200);
    const before = await snapshot();
    const forged = token("victim").replace("victim", "mallory");
    const identities: Record<string, string>[] = [
      { "x-identity-token": forged },
      { "x-identity-token": token("victim", -1_000) },
      { "x-identity-token": token("victim", 60_000, "someone-elses-secret-0123456789abcdef") },
      { "x-identity-token": "garbage" },
      { cookie: `rg_identity=${forged}` },
      {},
    ];
    for (const identity of identities) {
      const headers = { ...identity, authorization: `Bearer ${admitted.body.token}` };
      for (const [method, path] of [
        ["POST", `/api/events/${eventId}/entry`],
        ["GET", `/api/queue/${eventId}/status`],
        ["DELETE", `/api/queue/${eventId}`],
        ["POST", `/api/events/${eventId}/issue`],
        ["GET", "/api/me/coupons"],
      ] as const) {
        const res = await call(method, path, headers);
        expect(
          { status: res.status, code: res.body.error?.code },
          `${method} ${path} ${JSON.stringify(identity)}`,
        ).toEqual({
          status: 401,
          code: "unauthorized",
        });
      }
    }
    expect(await snapshot()).toEqual(before);
  });

  it("does not trust X-User-Id from an address that is not a trusted proxy", async () => {
    const eventId = await p.client.createEvent({ stock: 3 });
    const before = await snapshot();
    const attempts: Record<string, string>[] = [
      { "x-user-id": "victim" },
      { "x-user-id": "victim", "x-identity-token": token("eve") },
    ];
    for (const headers of attempts) {
      const res = await call("POST", `/api/events/${eventId}/entry`, headers);
      expect(res.status).toBe(401);
      expect((await call("GET", `/api/queue/${eventId}/status`, headers)).status).toBe(401);
    }
    expect(await snapshot()).toEqual(before);
  });

  it("trusts X-User-Id from a trusted proxy", async () => {
    const eventId = await p.client.createEvent({ stock: 3 });
    const res = await call("POST", `/api/events/${eventId}/entry`, { "x-user-id": "proxied_bob" }, viaProxy);
    expect(res.status).toBe(200);
    expect(String(res.body.token)).toContain(`.${eventId}.proxied_bob.`);
    // The fast path (status) takes it from the proxy too, and answers for that same user.
    const status = await call(
      "GET",
      `/api/queue/${eventId}/status`,
      { "x-user-id": "proxied_bob" },
      viaProxy,
    );
    expect(status.status).toBe(200);
    expect(String(status.body.token)).toContain(`.proxied_bob.`);
    const bad = await call("POST", `/api/events/${eventId}/entry`, { "x-user-id": "not valid!" }, viaProxy);
    expect(bad.status).toBe(400);
    expect(bad.body.error?.code).toBe("invalid_user");
  });

  it("gives a page visitor a signed anonymous id that works, and a tampered one impersonates nobody", async () => {
    const eventId = await p.client.createEvent({ stock: 5 });
    const first = await visit(`${p.router.url}/events/${eventId}`);
    expect(first.status).toBe(200);
    const cookie = cookieValue(first.cookies.uid);
    const [, anonId] = cookie.split(".");
    expect(cookieValue(first.cookies[`rg_adm_${eventId}`])).toContain(`.${eventId}.${anonId}.`);
    // The same cookie identifies the same user on the API.
    const again = await call("POST", `/api/events/${eventId}/entry`, { cookie: `uid=${cookie}` });
    expect(again.status).toBe(200);
    expect(String(again.body.token)).toContain(`.${anonId}.`);

    // Someone else edits the cookie to the first visitor's id, or sends it unsigned.
    const other = cookieValue((await visit(`${p.router.url}/`)).cookies.uid);
    const tampered = other.replace(other.split(".")[1] as string, anonId as string);
    for (const forged of [tampered, anonId as string]) {
      const api = await call("POST", `/api/events/${eventId}/entry`, { cookie: `uid=${forged}` });
      expect(api.status).toBe(401);
      const page = await visit(`${p.router.url}/events/${eventId}`, { cookie: `uid=${forged}` });
      // The page makes a fresh id rather than believe the cookie.
      const fresh = cookieValue(page.cookies.uid).split(".")[1];
      expect(fresh).toMatch(/^[A-Za-z0-9_-]{22}$/);
      expect(fresh).not.toBe(anonId);
      expect(cookieValue(page.cookies[`rg_adm_${eventId}`])).not.toContain(`.${anonId}.`);
    }
  });
});

describe("client address behind a trusted proxy", () => {
  it("keys the per-address limit on what the proxy appended, however the client spoofs X-Forwarded-For", async () => {
    const q = await startPlatform({
      env: {
        ...identityEnv,
        RATE_LIMIT_USER_PER_SEC: "0",
        RATE_LIMIT_IP_PER_SEC: "1",
        RATE_LIMIT_IP_BURST: "20",
      },
    });
    try {
      const eventId = await q.client.createEvent({ rpmThreshold: 0 });
      const spoofed = async (i: number, client: string, agent: Agent) =>
        (
          await call(
            "GET",
            `/api/events/${eventId}`,
            // What the client wrote, then (through the proxy) the address the proxy saw.
            {
              "x-forwarded-for":
                agent === viaProxy ? `10.9.${i >> 8}.${i & 255}, ${client}` : `10.9.0.${i & 255}`,
            },
            agent,
            q,
          )
        ).status;
      const throughProxy: number[] = [];
      const straight: number[] = [];
      for (let i = 0; i < 60; i++) throughProxy.push(await spoofed(i, "198.51.100.7", viaProxy));
      for (let i = 0; i < 60; i++) straight.push(await spoofed(i, "", direct));
      // A burst of 20 at 1 a second: the rest of each run is refused, rotating XFF or not.
      for (const run of [throughProxy, straight]) {
        expect(run.filter((s) => s === 200).length).toBeLessThanOrEqual(25);
        expect(run.filter((s) => s === 429).length).toBeGreaterThanOrEqual(35);
      }
      // Another client behind the same proxy has its own budget.
      expect(await spoofed(0, "198.51.100.8", viaProxy)).toBe(200);
    } finally {
      await q.close();
    }
  });
});

import { randomBytes } from "node:crypto";
import { parseCouponEnv, startCoupon } from "@rushgate/coupon";
import { parseRouterEnv, startRouter } from "@rushgate/router";
import type { AuditEntry } from "@rushgate/service";
import { TEST_ADMIN_TOKEN, useDatabase } from "@rushgate/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookieValue, visit } from "./browser/http";
import { createClient, type Reply } from "./client";
import { type Platform, startPlatform } from "./platform";
import { waitFor } from "./wait";

/** A line of the trail as the export answers it: the recorded entry and its row id. */
type Entry = AuditEntry & { id: number };

let p: Platform;
// A second router and coupon server on the same Redis and MySQL (the router balances over both).
let router2: Awaited<ReturnType<typeof startRouter>>;
let coupon2: Awaited<ReturnType<typeof startCoupon>>;
const database = useDatabase();
const boot = { token: TEST_ADMIN_TOKEN };
const run = randomBytes(3).toString("hex");
let seq = 0;
const rid = () => `audit-${run}-${++seq}`;
const tokenName = (what: string) => `${what}-${run}`;

async function trail(query = ""): Promise<Entry[]> {
  const res = await p.client.call<{ entries: Entry[] }>("GET", `/admin/api/audit?limit=10000${query}`, boot);
  expect(res.status).toBe(200);
  return res.body.entries;
}

const byRequest = async (requestId: string) => (await trail()).filter((e) => e.requestId === requestId);

async function createToken(name: string): Promise<string> {
  const res = await p.client.call<{ token: string }>("POST", "/admin/api/tokens", {
    ...boot,
    body: { name },
  });
  expect(res.status).toBe(201);
  return res.body.token;
}

async function signIn(url: string, token: string, operator: string): Promise<string> {
  const res = await visit(`${url}/admin/login`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: url },
    body: `operator=${encodeURIComponent(operator)}&token=${encodeURIComponent(token)}`,
  });
  expect(res.status).toBe(303);
  return `rg_admin=${cookieValue(res.cookies.rg_admin)}`;
}

beforeAll(async () => {
  p = await startPlatform({ issuer: false });
  coupon2 = await startCoupon(parseCouponEnv(p.env));
  router2 = await startRouter(
    parseRouterEnv({ ...p.env, COUPON_URL: `${p.coupon.url},${coupon2.url}`, GATE_SYNC_MS: "50" }),
  );
});

afterAll(async () => {
  await router2?.close();
  await coupon2?.close();
  await p?.close();
  await database.close();
});

describe("named admin tokens", () => {
  it("show the secret once, then never again, and store only its hash", async () => {
    const name = tokenName("secret");
    const token = await createToken(name);
    expect(token).toMatch(/^rga_/);
    const list = await p.client.call("GET", "/admin/api/tokens", boot);
    expect(JSON.stringify(list.body)).not.toContain(token);
    expect(list.body).toMatchObject({ tokens: expect.arrayContaining([expect.objectContaining({ name })]) });
    const [rows] = await database.pool.query("SELECT * FROM admin_tokens WHERE name = ?", [name]);
    expect(JSON.stringify(rows)).not.toContain(token);
    const copy = await p.redis.hgetall(p.keys.adminTokens);
    expect(JSON.stringify(copy)).not.toContain(token);
    expect(JSON.stringify(await trail())).not.toContain(token);
    // The token works, and its use is remembered.
    expect((await p.client.call("GET", "/admin/api/traffic", { token })).status).toBe(200);
    expect(await p.redis.hget(p.keys.adminTokenUses, name)).not.toBeNull();
    const listed = await p.client.call<{ tokens: { name: string; lastUsedAt: string | null }[] }>(
      "GET",
      "/admin/api/tokens",
      boot,
    );
    expect(listed.body.tokens.find((t) => t.name === name)?.lastUsedAt).toEqual(expect.any(String));
  });

  it("refuse bad input with a 4xx and change nothing", async () => {
    const name = tokenName("dup");
    await createToken(name);
    const count = async () =>
      ((await database.pool.query("SELECT COUNT(*) AS n FROM admin_tokens"))[0] as { n: number }[])[0]?.n;
    const before = await count();
    const bad: [string, string, unknown, number][] = [
      ["POST", "/admin/api/tokens", { name: "has.dot" }, 400],
      ["POST", "/admin/api/tokens", { name: "" }, 400],
      ["POST", "/admin/api/tokens", { name: "x".repeat(65) }, 400],
      ["POST", "/admin/api/tokens", { name: "bootstrap" }, 400],
      ["POST", "/admin/api/tokens", { name: "ok-name", extra: 1 }, 400],
      ["POST", "/admin/api/tokens", "not json", 400],
      ["POST", "/admin/api/tokens", { name }, 409],
      ["DELETE", "/admin/api/tokens/bootstrap", undefined, 400],
      ["DELETE", "/admin/api/tokens/no-such-token", undefined, 404],
      ["DELETE", "/admin/api/tokens/bad.name", undefined, 400],
      ["GET", "/admin/api/audit?limit=0", undefined, 400],
      ["GET", "/admin/api/audit?from=yesterday", undefined, 400],
      ["GET", "/admin/api/audit?format=xml", undefined, 400],
    ];
    for (const [method, path, body, status] of bad) {
      const res = await p.client.call(method, path, { ...boot, body });
      expect([method, path, res.status]).toEqual([method, path, status]);
      expect(res.body).toMatchObject({ error: { code: expect.any(String) } });
    }
    expect(await count()).toBe(before);
    // Two creations of one name at once: one token, one 409.
    const race = tokenName("race");
    const both = await Promise.all(
      [0, 1, 2].map(() => p.client.call("POST", "/admin/api/tokens", { ...boot, body: { name: race } })),
    );
    expect(both.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await count()).toBe(Number(before) + 1);
    // Signing in needs a name that can be shown in the trail.
    for (const operator of ["", "   ", "x".repeat(65), "<script>"]) {
      const res = await visit(`${p.router.url}/admin/login`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: p.router.url },
        body: `operator=${encodeURIComponent(operator)}&token=${encodeURIComponent(TEST_ADMIN_TOKEN)}`,
      });
      expect(res.status).toBe(400);
      expect(res.cookies.rg_admin).toBeUndefined();
    }
  });

  it("stop working on every router and coupon server within 1 s of a revocation, sessions too", async () => {
    const name = tokenName("revoked");
    const token = await createToken(name);
    const routers = [createClient(p.router.url), createClient(router2.url)];
    const coupons = [createClient(p.coupon.url), createClient(coupon2.url)];
    const cookie = await signIn(router2.url, token, "Alice Kim");
    const sessionStatus = async () => (await visit(`${router2.url}/admin/api/traffic`, { cookie })).status;
    for (const c of [...routers, ...coupons])
      expect((await c.call("GET", "/admin/api/tokens", { token })).status).toBe(200);
    expect(await sessionStatus()).toBe(200);

    const revoked = await routers[0]?.call("DELETE", `/admin/api/tokens/${name}`, boot);
    const at = Date.now();
    expect(revoked?.status).toBe(200);
    expect(revoked?.body).toMatchObject({ name, revokedAt: expect.any(String), revokedBy: "bootstrap" });
    const statuses = async () => [
      ...(await Promise.all(
        [...routers, ...coupons].map(
          async (c) => (await c.call("GET", "/admin/api/tokens", { token })).status,
        ),
      )),
      await sessionStatus(),
    ];
    const seen = await waitFor(statuses, (s) => s.every((x) => x === 401), 1000);
    expect(seen).toEqual([401, 401, 401, 401, 401]);
    expect(Date.now() - at).toBeLessThan(1000);
    const entry = (await trail("&actor=bootstrap")).find((x) => x.target === `/admin/api/tokens/${name}`);
    expect(entry).toMatchObject({
      action: "DELETE /admin/api/tokens/:name",
      params: { name },
      before: { name, revokedAt: null },
      after: { name, revokedAt: expect.any(String) },
      status: 200,
    });
    // Its dashboard page is the sign-in form again.
    expect((await visit(`${router2.url}/admin`, { cookie })).text).toContain('action="/admin/login"');
    // Revoking twice changes nothing; the name is never given to another token.
    expect((await p.client.call("DELETE", `/admin/api/tokens/${name}`, boot)).status).toBe(200);
    expect((await p.client.call("POST", "/admin/api/tokens", { ...boot, body: { name } })).status).toBe(409);
  });

  it("come back by themselves when Redis loses its copy (ADMIN_TOKEN goes on working)", async () => {
    const token = await createToken(tokenName("reload"));
    await p.redis.del(p.keys.adminTokens);
    expect((await p.client.call("GET", "/admin/api/traffic", boot)).status).toBe(200);
    // The router finds the copy gone and has a coupon server refill it from MySQL, then answers.
    expect((await p.client.call("GET", "/admin/api/traffic", { token })).status).toBe(200);
    expect(await p.redis.hlen(p.keys.adminTokens)).toBeGreaterThan(1);
  });
});

describe("the audit trail", () => {
  it("holds every admin call with its actor: token name, or the operator of a session", async () => {
    const name = tokenName("oncall");
    const token = await createToken(name);
    const call = (method: string, path: string, body: unknown, id: string) =>
      p.client.call(method, path, { token, body, headers: { "x-request-id": id } });

    // Router-served: the threshold, with its value before.
    await p.client.setThreshold(6000);
    const t = rid();
    expect((await call("PUT", "/admin/api/traffic", { rpmThreshold: 4321 }, t)).status).toBe(200);
    // Forwarded to a coupon server.
    const e = rid();
    const created = await call(
      "POST",
      "/admin/api/events",
      {
        name: "Audited drop",
        stock: 5,
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
      e,
    );
    expect(created.status).toBe(201);
    // A refused one.
    const bad = rid();
    expect((await call("POST", "/admin/api/events", { name: "" }, bad)).status).toBe(400);

    // From the dashboard: a named token and an operator name.
    const operator = `Alice ${run}`;
    const cookie = await signIn(p.router.url, token, operator);
    const d = rid();
    const dash = await visit(`${p.router.url}/admin/api/traffic`, {
      method: "PUT",
      cookie,
      headers: { origin: p.router.url, "content-type": "application/json", "x-request-id": d },
      body: JSON.stringify({ rpmThreshold: 6000 }),
    });
    expect(dash.status).toBe(200);
    const out = await visit(`${p.router.url}/admin/logout`, {
      method: "POST",
      cookie,
      headers: { origin: p.router.url },
    });
    expect(out.status).toBe(303);

    expect(await byRequest(t)).toMatchObject([
      {
        token: name,
        operator: null,
        action: "PUT /admin/api/traffic",
        target: "/admin/api/traffic",
        before: { rpmThreshold: 6000 },
        after: { rpmThreshold: 4321 },
        status: 200,
        source: "router",
      },
    ]);
    expect(await byRequest(e)).toMatchObject([
      {
        token: name,
        operator: null,
        action: "POST /admin/api/events",
        status: 201,
        source: "coupon",
        after: { name: "Audited drop", stock: 5 },
      },
    ]);
    expect(await byRequest(bad)).toMatchObject([{ token: name, status: 400, after: { name: "" } }]);
    expect(await byRequest(d)).toMatchObject([
      {
        token: name,
        operator,
        action: "PUT /admin/api/traffic",
        before: { rpmThreshold: 4321 },
        after: { rpmThreshold: 6000 },
        status: 200,
      },
    ]);
    const mine = await trail(`&actor=${encodeURIComponent(operator)}`);
    expect(mine.map((x) => x.action)).toEqual(
      expect.arrayContaining(["sign-in", "sign-out", "PUT /admin/api/traffic"]),
    );
    expect(mine.every((x) => x.operator === operator && x.token === name)).toBe(true);
    // Every call this test made as the token is in the trail under its name (reads are not).
    const asToken = await trail(`&actor=${name}`);
    expect(
      asToken
        .filter((x) => x.operator === null)
        .map((x) => x.requestId)
        .sort(),
    ).toEqual([t, e, bad].sort());
    // ...and the token's own creation, by the bootstrap token, with its name but not its secret.
    expect(
      (await trail("&actor=bootstrap")).find(
        (x) => x.action === "POST /admin/api/tokens" && (x.after as { name?: string })?.name === name,
      ),
    ).toBeDefined();
  });

  it("holds the kill switches and live settings with the before and after their answers give", async () => {
    const name = tokenName("switcher");
    const token = await createToken(name);
    const call = (method: string, path: string, body: unknown, id: string) =>
      p.client.call(method, path, { token, body, headers: { "x-request-id": id } });
    const created = await call(
      "POST",
      "/admin/api/events",
      {
        name: "Switched drop",
        stock: 5,
        startsAt: new Date(Date.now() - 60_000).toISOString(),
        endsAt: new Date(Date.now() + 3_600_000).toISOString(),
      },
      rid(),
    );
    expect(created.status).toBe(201);
    const eventId = (created.body as { id: number }).id;
    const sw = rid();
    expect((await call("PUT", `/admin/api/events/${eventId}/switches`, { paused: true }, sw)).status).toBe(
      200,
    );
    const set = rid();
    expect((await call("PATCH", `/admin/api/events/${eventId}`, { admitPerTick: 7 }, set)).status).toBe(200);
    const end = rid();
    expect((await call("POST", `/admin/api/events/${eventId}/end`, {}, end)).status).toBe(200);

    expect(await byRequest(sw)).toMatchObject([
      {
        token: name,
        action: "PUT /admin/api/events/:eventId/switches",
        params: { eventId: String(eventId) },
        before: { switches: { paused: false } },
        after: { switches: { paused: true } },
        status: 200,
      },
    ]);
    expect(await byRequest(set)).toMatchObject([
      { token: name, before: { admitPerTick: 200 }, after: { admitPerTick: 7 }, status: 200 },
    ]);
    const [ended] = await byRequest(end);
    expect(ended).toMatchObject({ token: name, action: "POST /admin/api/events/:eventId/end", status: 200 });
    const endsAt = (x: unknown) => Date.parse((x as { endsAt: string }).endsAt);
    expect(endsAt(ended?.after)).toBeLessThan(endsAt(ended?.before));
  });

  it("cannot be given a forged actor", async () => {
    const name = tokenName("honest");
    const token = await createToken(name);
    const id = rid();
    // A client's own actor header is ignored by the router and not passed on.
    const res = await p.client.call("DELETE", "/admin/api/tokens/no-such-token", {
      token,
      headers: { "x-rushgate-admin": "act1.bootstrap.cm9vdA.99999999999999.forged", "x-request-id": id },
    });
    expect(res.status).toBe(404);
    expect(await byRequest(id)).toMatchObject([{ token: name, operator: null, status: 404 }]);
    // Without a token, the header alone gets nowhere: refused and recorded without an actor.
    const anon = rid();
    const refused = await p.client.call("PUT", "/admin/api/traffic", {
      body: { rpmThreshold: 1 },
      headers: { "x-rushgate-admin": "act1.bootstrap.cm9vdA.99999999999999.forged", "x-request-id": anon },
    });
    expect(refused.status).toBe(401);
    expect(await byRequest(anon)).toMatchObject([
      { token: null, operator: null, status: 401, after: { refused: "unauthorized" } },
    ]);
    // Straight at a coupon server, an unsigned actor or audit entry is refused too.
    const direct = createClient(p.coupon.url);
    expect(
      (
        await direct.call("GET", "/admin/api/tokens", {
          headers: { "x-rushgate-admin": "act1.bootstrap..99999999999999.x" },
        })
      ).status,
    ).toBe(401);
    expect(
      (await direct.call("POST", "/internal/audit", { body: { token: "bootstrap", action: "fake" } })).status,
    ).toBe(401);
  });

  it("is append-only: no API edits or deletes an entry", async () => {
    const before = await trail();
    expect(before.length).toBeGreaterThan(0);
    const first = before[before.length - 1] as Entry;
    const attempts: Reply[] = [];
    for (const method of ["DELETE", "PUT", "PATCH", "POST"])
      for (const path of ["/admin/api/audit", `/admin/api/audit/${first.id}`])
        attempts.push(
          await p.client.call(method, path, {
            ...boot,
            body: method === "DELETE" ? undefined : { action: "edited" },
          }),
        );
    expect(attempts.map((r) => r.status).every((s) => s === 404)).toBe(true);
    // The router never passes its internal write path on.
    expect((await p.client.call("POST", "/internal/audit", { ...boot, body: {} })).status).toBe(404);
    const after = await trail();
    for (const entry of before) expect(after).toContainEqual(entry);
  });

  it("exports as CSV, filtered by time and actor, page by page", async () => {
    const name = tokenName("csv");
    const token = await createToken(name);
    const from = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < 3; i++)
      await p.client.call("PUT", "/admin/api/traffic", { token, body: { rpmThreshold: 6000 + i } });
    const page1 = await p.client.call<string>(
      "GET",
      `/admin/api/audit?format=csv&limit=2&actor=${name}&from=${encodeURIComponent(from)}`,
      boot,
    );
    expect(page1.status).toBe(200);
    expect(page1.headers["content-type"]).toContain("text/csv");
    const lines = String(page1.body).trim().split("\r\n");
    expect(lines[0]).toBe("id,at,token,operator,action,target,params,before,after,status,requestId,source");
    expect(lines).toHaveLength(3);
    expect(lines[1]).toContain(`,${name},,PUT /admin/api/traffic,`);
    const next = page1.headers["x-next-before"];
    expect(next).toBeDefined();
    const page2 = await p.client.call<{ entries: Entry[]; next: number | null }>(
      "GET",
      `/admin/api/audit?limit=2&actor=${name}&before=${next}`,
      boot,
    );
    expect(page2.body.entries).toHaveLength(1);
    expect(page2.body.next).toBeNull();
    const future = await trail(
      `&actor=${name}&from=${encodeURIComponent(new Date(Date.now() + 60_000).toISOString())}`,
    );
    expect(future).toEqual([]);
  });
});
